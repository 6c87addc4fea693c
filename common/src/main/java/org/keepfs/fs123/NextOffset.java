package org.keepfs.fs123;

/**
 * The {@code fs123-nextoffset} header of a {@code /d} reply: an opaque signed 64-bit offset to continue
 * from, and {@code " EOF"} on the last chunk.
 */
public record NextOffset(long offset, boolean eof) {
  private static final String EOF_SUFFIX = " EOF";

  public String format() {
    return eof ? offset + EOF_SUFFIX : Long.toString(offset);
  }

  public static NextOffset parse(String header) {
    boolean eof = header.endsWith(EOF_SUFFIX);
    String number = eof ? header.substring(0, header.length() - EOF_SUFFIX.length()) : header;
    return new NextOffset(Decimal.parseSigned(Fs123Protocol.NEXT_OFFSET_HEADER, number), eof);
  }
}
