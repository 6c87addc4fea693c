package org.keepfs.manifest;

import java.util.Arrays;

/** A growable byte buffer for writing manifest text without a string per token. */
final class ByteSink {
  /** "00" to "99": the two ASCII digits of each number below 100. */
  private static final byte[] DIGIT_PAIRS = new byte[200];

  static {
    for (int n = 0; n < 100; n++) {
      DIGIT_PAIRS[2 * n] = (byte) ('0' + n / 10);
      DIGIT_PAIRS[2 * n + 1] = (byte) ('0' + n % 10);
    }
  }

  private byte[] bytes;
  private int length;

  ByteSink(int expectedLength) {
    bytes = new byte[Math.max(16, expectedLength)];
  }

  int length() {
    return length;
  }

  void write(int b) {
    if (length == bytes.length) {
      grow(1);
    }
    bytes[length++] = (byte) b;
  }

  void write(byte[] src, int from, int to) {
    int n = to - from;
    if (length + n > bytes.length) {
      grow(n);
    }
    System.arraycopy(src, from, bytes, length, n);
    length += n;
  }

  void writeAscii(String s) {
    int n = s.length();
    if (length + n > bytes.length) {
      grow(n);
    }
    for (int i = 0; i < n; i++) {
      bytes[length++] = (byte) s.charAt(i);
    }
  }

  void writeDecimal(long v) {
    if (length + 20 > bytes.length) {
      grow(20);
    }
    int end = length + digits(v);
    int i = end;
    // Two digits per division, and int arithmetic once the value fits (offsets and sizes mostly do).
    while (v > Integer.MAX_VALUE) {
      int pair = (int) (v % 100);
      v /= 100;
      bytes[--i] = DIGIT_PAIRS[2 * pair + 1];
      bytes[--i] = DIGIT_PAIRS[2 * pair];
    }
    int w = (int) v;
    while (w >= 100) {
      int pair = w % 100;
      w /= 100;
      bytes[--i] = DIGIT_PAIRS[2 * pair + 1];
      bytes[--i] = DIGIT_PAIRS[2 * pair];
    }
    if (w >= 10) {
      bytes[--i] = DIGIT_PAIRS[2 * w + 1];
      bytes[--i] = DIGIT_PAIRS[2 * w];
    } else {
      bytes[--i] = (byte) ('0' + w);
    }
    length = end;
  }

  private static int digits(long v) {
    long limit = 10;
    for (int d = 1; d < 19; d++) {
      if (v < limit) {
        return d;
      }
      limit *= 10;
    }
    return 19;
  }

  /** The bytes written. The sink must not be used afterwards (an exactly filled buffer is handed over). */
  byte[] toByteArray() {
    return length == bytes.length ? bytes : Arrays.copyOf(bytes, length);
  }

  private void grow(int needed) {
    bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + needed));
  }
}
