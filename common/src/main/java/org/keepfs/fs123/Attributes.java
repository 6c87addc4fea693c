package org.keepfs.fs123;

import java.util.List;

/**
 * The {@code struct stat} fields that line 1 of an {@code /a} reply carries, in wire order. Times are
 * seconds plus a separate nanosecond part ({@code st_mtim.tv_sec} / {@code tv_nsec}), as fs123 sends them.
 */
public record Attributes(
    long mode,
    long nlink,
    long uid,
    long gid,
    long size,
    long mtime,
    long ctime,
    long atime,
    long ino,
    long mtimeNsec,
    long ctimeNsec,
    long atimeNsec,
    long dev,
    long blocks,
    long blksize,
    long rdev) {

  public static final int FIELD_COUNT = 16;
  /** The file-type bits of {@link #mode} ({@code S_IFMT}) and the types fs123 cares about. */
  public static final int S_IFMT = 0170000;
  public static final int S_IFDIR = 0040000;
  public static final int S_IFREG = 0100000;
  public static final int S_IFLNK = 0120000;

  private static final List<String> NAMES =
      List.of("mode", "nlink", "uid", "gid", "size", "mtime", "ctime", "atime", "ino", "mtime_ns",
          "ctime_ns", "atime_ns", "dev", "blocks", "blksize", "rdev");

  public boolean isDirectory() {
    return (mode & S_IFMT) == S_IFDIR;
  }

  public boolean isRegularFile() {
    return (mode & S_IFMT) == S_IFREG;
  }

  public boolean isSymlink() {
    return (mode & S_IFMT) == S_IFLNK;
  }

  /** Modification time in nanoseconds since the epoch. */
  public long mtimeNanos() {
    return mtime * 1_000_000_000L + mtimeNsec;
  }

  /** Line 1 of an {@code /a} body: the 16 fields separated by single spaces, no newline. */
  public String statLine() {
    StringBuilder b = new StringBuilder(128);
    long[] f = fields();
    for (int i = 0; i < f.length; i++) {
      if (i > 0) {
        b.append(' ');
      }
      // ino, dev, blocks and rdev are unsigned in the kernel; the rest fit in a signed long.
      if (i == 8 || i == 12 || i == 13 || i == 15) {
        b.append(Long.toUnsignedString(f[i]));
      } else {
        b.append(f[i]);
      }
    }
    return b.toString();
  }

  /** Parses line 1 of an {@code /a} body. */
  public static Attributes parseStatLine(String line) {
    String[] parts = line.split(" ", -1);
    if (parts.length != FIELD_COUNT) {
      throw new Fs123FormatException(
          "stat line", line, "has " + parts.length + " space-separated fields, expected " + FIELD_COUNT);
    }
    long[] f = new long[FIELD_COUNT];
    for (int i = 0; i < FIELD_COUNT; i++) {
      String what = "stat field " + NAMES.get(i);
      f[i] = parts[i].startsWith("-") ? Decimal.parseSigned(what, parts[i]) : Decimal.parseUnsigned(what, parts[i]);
    }
    return new Attributes(f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9], f[10], f[11], f[12],
        f[13], f[14], f[15]);
  }

  private long[] fields() {
    return new long[] {mode, nlink, uid, gid, size, mtime, ctime, atime, ino, mtimeNsec, ctimeNsec,
        atimeNsec, dev, blocks, blksize, rdev};
  }
}
