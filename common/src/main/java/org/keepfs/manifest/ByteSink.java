package org.keepfs.manifest;

import java.util.Arrays;

/** A growable byte buffer for writing manifest text without a string per token. */
final class ByteSink {
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
    if (v < 10) {
      write('0' + (int) v);
      return;
    }
    if (length + 20 > bytes.length) {
      grow(20);
    }
    int digits = 0;
    for (long t = v; t > 0; t /= 10) {
      digits++;
    }
    int end = length + digits;
    for (int i = end - 1; i >= length; i--) {
      bytes[i] = (byte) ('0' + v % 10);
      v /= 10;
    }
    length = end;
  }

  byte[] toByteArray() {
    return Arrays.copyOf(bytes, length);
  }

  private void grow(int needed) {
    bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + needed));
  }
}
