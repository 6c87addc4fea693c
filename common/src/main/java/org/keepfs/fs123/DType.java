package org.keepfs.fs123;

/** {@code d_type} values of readdir(3), as {@code /d} records carry them. */
public final class DType {
  public static final int UNKNOWN = 0;
  public static final int FIFO = 1;
  public static final int CHR = 2;
  public static final int DIR = 4;
  public static final int BLK = 6;
  public static final int REG = 8;
  public static final int LNK = 10;
  public static final int SOCK = 12;

  private DType() {}

  /** The d_type for a {@code st_mode}: the file-type bits shifted down, exactly as the C library does. */
  public static int ofMode(long mode) {
    return (int) ((mode & Attributes.S_IFMT) >>> 12);
  }
}
