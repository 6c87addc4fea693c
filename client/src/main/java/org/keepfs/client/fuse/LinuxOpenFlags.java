package org.keepfs.client.fuse;

import org.keepfs.client.fs.OpenFlags;
import org.keepfs.posix.Errno;
import org.keepfs.posix.ErrnoException;

/** Linux {@code open(2)} flag numbers (x86-64 and arm64 agree on these) and their translation. */
public final class LinuxOpenFlags {
  static final int O_ACCMODE = 03;
  static final int O_RDONLY = 0;
  static final int O_WRONLY = 01;
  static final int O_RDWR = 02;
  static final int O_CREAT = 0100;
  static final int O_EXCL = 0200;
  static final int O_TRUNC = 01000;
  static final int O_APPEND = 02000;
  static final int O_DIRECT = 040000;

  private LinuxOpenFlags() {}

  public static OpenFlags decode(int flags) throws ErrnoException {
    OpenFlags.Access access = switch (flags & O_ACCMODE) {
      case O_RDONLY -> OpenFlags.Access.READ;
      case O_WRONLY -> OpenFlags.Access.WRITE;
      case O_RDWR -> OpenFlags.Access.READ_WRITE;
      default -> throw new ErrnoException(Errno.EINVAL, "open flags 0" + Integer.toOctalString(flags) + " have access mode 3");
    };
    return new OpenFlags(
        access,
        (flags & O_TRUNC) != 0,
        (flags & O_APPEND) != 0,
        (flags & O_EXCL) != 0,
        (flags & O_DIRECT) != 0);
  }
}
