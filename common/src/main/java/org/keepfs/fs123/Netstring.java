package org.keepfs.fs123;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Netstrings: {@code <decimal length>:<bytes>,}. fs123 uses them for directory entry names and for the
 * validator that prefixes a {@code /f} body.
 */
public final class Netstring {
  /** The longest a netstring of a decimal uint64 can be: "20:" + 20 digits + ",". */
  public static final int MAX_UINT64_NETSTRING = 24;

  private Netstring() {}

  public static byte[] encode(byte[] payload) {
    byte[] len = Integer.toString(payload.length).getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[len.length + 1 + payload.length + 1];
    System.arraycopy(len, 0, out, 0, len.length);
    out[len.length] = ':';
    System.arraycopy(payload, 0, out, len.length + 1, payload.length);
    out[out.length - 1] = ',';
    return out;
  }

  public static byte[] encode(String payload) {
    return encode(payload.getBytes(StandardCharsets.UTF_8));
  }

  /** Encodes an unsigned 64-bit value as the netstring of its decimal form. */
  public static byte[] encodeUnsigned(long value) {
    return encode(Long.toUnsignedString(value).getBytes(StandardCharsets.US_ASCII));
  }

  /** A netstring decoded from a buffer: its payload and the index just past its trailing comma. */
  public record Decoded(byte[] payload, int end) {}

  /**
   * Decodes the netstring that starts at {@code from} in {@code data[0, limit)}.
   *
   * @throws Fs123FormatException if the bytes there are not a complete netstring
   */
  public static Decoded decode(byte[] data, int from, int limit) {
    int i = from;
    long len = 0;
    while (i < limit && data[i] >= '0' && data[i] <= '9') {
      len = len * 10 + (data[i] - '0');
      if (len > Integer.MAX_VALUE) {
        throw bad(data, from, limit, "length does not fit in an int");
      }
      i++;
    }
    if (i == from) {
      throw bad(data, from, limit, "does not start with a decimal length");
    }
    if (data[from] == '0' && i - from > 1) {
      throw bad(data, from, limit, "length has a leading zero");
    }
    if (i >= limit || data[i] != ':') {
      throw bad(data, from, limit, "length is not followed by ':'");
    }
    int start = i + 1;
    long end = start + len;
    if (end >= limit) {
      throw bad(data, from, limit, "declares " + len + " bytes but fewer follow");
    }
    if (data[(int) end] != ',') {
      throw bad(data, from, limit, "payload is not followed by ','");
    }
    byte[] payload = new byte[(int) len];
    System.arraycopy(data, start, payload, 0, (int) len);
    return new Decoded(payload, (int) end + 1);
  }

  /** Decodes a netstring holding a decimal uint64 (the {@code /f} validator) at the buffer's position. */
  public static long decodeUnsigned(ByteBuffer body) {
    byte[] head = new byte[Math.min(body.remaining(), MAX_UINT64_NETSTRING)];
    body.duplicate().get(head);
    Decoded d = decode(head, 0, head.length);
    String digits = new String(d.payload(), StandardCharsets.US_ASCII);
    long value = Decimal.parseUnsigned("validator", digits);
    body.position(body.position() + d.end());
    return value;
  }

  private static Fs123FormatException bad(byte[] data, int from, int limit, String reason) {
    int shown = Math.min(limit - from, 40);
    return new Fs123FormatException(
        "netstring", new String(data, from, Math.max(shown, 0), StandardCharsets.ISO_8859_1), reason);
  }
}
