package org.keepfs.client.fuse;

import java.io.IOException;
import org.keepfs.client.fs.Entry;
import org.keepfs.client.fs.FileSystem;
import org.keepfs.client.fs.Lookup;
import org.keepfs.client.fs.NodeType;
import org.keepfs.client.fs.NoEntry;
import org.keepfs.posix.Errno;
import org.keepfs.posix.ErrnoException;

/**
 * Turns the absolute paths of libfuse's high-level API into inodes by looking up one name at a
 * time from the root, the way the kernel itself walks a path.
 */
final class PathResolver {
  private final FileSystem fs;

  PathResolver(FileSystem fs) {
    this.fs = fs;
  }

  /** The node at {@code path}, or a {@link NoEntry} when a component is missing. */
  Lookup resolve(String path) throws IOException {
    Entry current = root();
    int start = 1;
    int length = path.length();
    while (start < length) {
      int end = path.indexOf('/', start);
      if (end < 0) {
        end = length;
      }
      if (end > start) {
        if (current.attributes().type() != NodeType.DIRECTORY) {
          throw new ErrnoException(Errno.ENOTDIR, path.substring(0, start - 1) + " is not a directory");
        }
        Lookup next = fs.lookup(current.ino(), path.substring(start, end));
        if (next instanceof NoEntry missing) {
          return missing;
        }
        current = (Entry) next;
      }
      start = end + 1;
    }
    return current;
  }

  /** The node at {@code path}; ENOENT when it does not exist. */
  Entry require(String path) throws IOException {
    if (resolve(path) instanceof Entry entry) {
      return entry;
    }
    throw new ErrnoException(Errno.ENOENT, path + ": no such file or directory");
  }

  /** The directory that holds the last component of {@code path}. */
  long parentOf(String path) throws IOException {
    int slash = path.lastIndexOf('/');
    Entry parent = require(slash <= 0 ? "/" : path.substring(0, slash));
    if (parent.attributes().type() != NodeType.DIRECTORY) {
      throw new ErrnoException(Errno.ENOTDIR, path.substring(0, slash) + " is not a directory");
    }
    return parent.ino();
  }

  /** The last component of {@code path}. */
  static String nameOf(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  private Entry root() throws IOException {
    var attrs = fs.getattr(FileSystem.ROOT_INODE);
    return new Entry(attrs.attributes(), attrs.timeout(), attrs.timeout());
  }
}
