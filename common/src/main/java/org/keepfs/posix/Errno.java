package org.keepfs.posix;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.nio.file.ReadOnlyFileSystemException;

/**
 * Linux errno values and the one mapping from Java exceptions to them.
 *
 * <p>The fs123 wire protocol carries these numbers in {@code fs123-errno}, and FUSE returns their
 * negatives, so both the gateway and the client take them from here.
 */
public final class Errno {
  public static final int OK = 0;
  public static final int EPERM = 1;
  public static final int ENOENT = 2;
  public static final int EINTR = 4;
  public static final int EIO = 5;
  public static final int ENXIO = 6;
  public static final int EBADF = 9;
  public static final int EAGAIN = 11;
  public static final int ENOMEM = 12;
  public static final int EACCES = 13;
  public static final int EBUSY = 16;
  public static final int EEXIST = 17;
  public static final int EXDEV = 18;
  public static final int ENODEV = 19;
  public static final int ENOTDIR = 20;
  public static final int EISDIR = 21;
  public static final int EINVAL = 22;
  public static final int EMFILE = 24;
  public static final int EFBIG = 27;
  public static final int ENOSPC = 28;
  public static final int ESPIPE = 29;
  public static final int EROFS = 30;
  public static final int ERANGE = 34;
  public static final int ENAMETOOLONG = 36;
  public static final int ENOLCK = 37;
  public static final int ENOSYS = 38;
  public static final int ENOTEMPTY = 39;
  public static final int ELOOP = 40;
  public static final int ENODATA = 61;
  public static final int EPROTO = 71;
  public static final int EOVERFLOW = 75;
  public static final int EOPNOTSUPP = 95;
  public static final int ETIMEDOUT = 110;
  public static final int ECONNREFUSED = 111;
  public static final int ESTALE = 116;

  private Errno() {}

  /**
   * The errno an exception stands for. Specific NIO exceptions first; anything unrecognised is EIO,
   * because a caller that cannot tell what went wrong must not be told "no such file".
   */
  public static int of(Throwable e) {
    return switch (e) {
      case ErrnoException x -> x.errno();
      case NoSuchFileException x -> ENOENT;
      case FileNotFoundException x -> ENOENT;
      case FileAlreadyExistsException x -> EEXIST;
      case DirectoryNotEmptyException x -> ENOTEMPTY;
      case NotDirectoryException x -> ENOTDIR;
      case AccessDeniedException x -> EACCES;
      case NotLinkException x -> EINVAL;
      case FileSystemLoopException x -> ELOOP;
      case ReadOnlyFileSystemException x -> EROFS;
      case ClosedChannelException x -> EBADF;
      case FileSystemException x -> fromReason(x.getReason());
      case IOException x -> EIO;
      case UnsupportedOperationException x -> EOPNOTSUPP;
      default -> EIO;
    };
  }

  /** NIO reports some errors only as the C library's strerror text; recognise the common ones. */
  private static int fromReason(String reason) {
    if (reason == null) {
      return EIO;
    }
    return switch (reason) {
      case "Is a directory" -> EISDIR;
      case "Not a directory" -> ENOTDIR;
      case "Permission denied" -> EACCES;
      case "Operation not permitted" -> EPERM;
      case "Too many levels of symbolic links" -> ELOOP;
      case "No space left on device" -> ENOSPC;
      case "File name too long" -> ENAMETOOLONG;
      case "Read-only file system" -> EROFS;
      case "Invalid argument" -> EINVAL;
      case "Directory not empty" -> ENOTEMPTY;
      case "No such file or directory" -> ENOENT;
      case "Stale file handle" -> ESTALE;
      default -> EIO;
    };
  }
}
