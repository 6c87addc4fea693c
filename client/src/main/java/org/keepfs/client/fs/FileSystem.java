package org.keepfs.client.fs;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.keepfs.posix.Errno;
import org.keepfs.posix.ErrnoException;

/**
 * The filesystem the client serves: a tree of nodes numbered by inode, addressed as (directory,
 * name) pairs the way the kernel and NFS address them. Front ends (the FUSE adapter, later others)
 * resolve paths with {@link #lookup} and call the rest by inode.
 *
 * <p>Every method may throw {@link ErrnoException} with the errno a program should see (ENOENT,
 * ENOTDIR, EEXIST, ENOTEMPTY, EROFS, ...); any other {@link IOException} or runtime exception
 * counts as EIO. The mutating operations default to EROFS so that a read-only tree implements only
 * what it serves. Implementations are called from many threads at once.
 */
public interface FileSystem {
  /** The root directory's inode number. */
  long ROOT_INODE = 1;

  /** The node called {@code name} in directory {@code parent}, or how long its absence may be cached. */
  Lookup lookup(long parent, String name) throws IOException;

  /** The attributes of a node. */
  TimedAttributes getattr(long ino) throws IOException;

  /**
   * Lists directory {@code dir} from {@code offset} (0 = the start; otherwise a
   * {@link DirEntry#nextOffset} this directory returned), without "." and "..", until the listing
   * ends or {@code sink} returns false.
   */
  void readdir(long dir, long offset, DirectorySink sink) throws IOException;

  /** Opens a regular file. Write access on a read-only tree is EROFS. */
  OpenFile open(long ino, OpenFlags flags) throws IOException;

  /** The target of a symbolic link. */
  String readlink(long ino) throws IOException;

  /** Sizes and counts for {@code df}. */
  FsStats statfs() throws IOException;

  /** The value of extended attribute {@code name}; ENODATA when the node has none by that name. */
  default byte[] getxattr(long ino, String name) throws IOException {
    throw new ErrnoException(Errno.ENODATA, "no extended attribute '" + name + "'");
  }

  /** The names of the node's extended attributes. */
  default List<String> listxattr(long ino) throws IOException {
    return List.of();
  }

  /** Creates and opens a regular file; EEXIST if the name exists and {@code flags.exclusive()}. */
  default Created create(long parent, String name, int permissions, OpenFlags flags) throws IOException {
    throw readOnly("create", name);
  }

  /** Creates a directory. */
  default Entry mkdir(long parent, String name, int permissions) throws IOException {
    throw readOnly("mkdir", name);
  }

  /** Creates a symbolic link called {@code name} pointing at {@code target}. */
  default Entry symlink(long parent, String name, String target) throws IOException {
    throw readOnly("symlink", name);
  }

  /** Removes a name that is not a directory. Open handles on the node keep working. */
  default void unlink(long parent, String name) throws IOException {
    throw readOnly("unlink", name);
  }

  /** Removes an empty directory (ENOTEMPTY otherwise). */
  default void rmdir(long parent, String name) throws IOException {
    throw readOnly("rmdir", name);
  }

  /**
   * Moves a name, replacing the target as rename(2) does: a file replaces a file, a directory
   * replaces an empty directory.
   */
  default void rename(long parent, String name, long newParent, String newName) throws IOException {
    throw readOnly("rename", name);
  }

  /** Sets the length of a file by inode (truncate(2) on a path). */
  default TimedAttributes truncate(long ino, long size) throws IOException {
    throw readOnly("truncate", "inode " + ino);
  }

  /** Sets the permission bits. */
  default TimedAttributes chmod(long ino, int permissions) throws IOException {
    throw readOnly("chmod", "inode " + ino);
  }

  /** Sets the owner and group; an empty value leaves that one unchanged. */
  default TimedAttributes chown(long ino, OptionalInt uid, OptionalInt gid) throws IOException {
    throw readOnly("chown", "inode " + ino);
  }

  /** Sets access and modification times; an empty value leaves that time unchanged. */
  default TimedAttributes setTimes(long ino, Optional<Instant> atime, Optional<Instant> mtime) throws IOException {
    throw readOnly("utimens", "inode " + ino);
  }

  private static ErrnoException readOnly(String operation, String what) {
    return new ErrnoException(Errno.EROFS, operation + " " + what + ": the filesystem is read-only");
  }
}
