package org.keepfs.fs123;

import java.nio.charset.StandardCharsets;

/** The body of an {@code /s} reply: the 11 {@code struct statvfs} numbers in wire order, space separated. */
public record StatfsReply(
    long bsize,
    long frsize,
    long blocks,
    long bfree,
    long bavail,
    long files,
    long ffree,
    long favail,
    long fsid,
    long flag,
    long namemax) {

  public static final int FIELD_COUNT = 11;

  public byte[] encode() {
    long[] f = {bsize, frsize, blocks, bfree, bavail, files, ffree, favail, fsid, flag, namemax};
    StringBuilder b = new StringBuilder(96);
    for (int i = 0; i < f.length; i++) {
      if (i > 0) {
        b.append(' ');
      }
      b.append(Long.toUnsignedString(f[i]));
    }
    return b.toString().getBytes(StandardCharsets.US_ASCII);
  }

  public static StatfsReply parse(byte[] body) {
    String text = new String(body, StandardCharsets.US_ASCII).strip();
    String[] p = text.split(" ", -1);
    if (p.length != FIELD_COUNT) {
      throw new Fs123FormatException("/s body", text, "has " + p.length + " fields, expected " + FIELD_COUNT);
    }
    long[] f = new long[FIELD_COUNT];
    for (int i = 0; i < FIELD_COUNT; i++) {
      f[i] = Decimal.parseUnsigned("statvfs field " + (i + 1), p[i]);
    }
    return new StatfsReply(f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9], f[10]);
  }
}
