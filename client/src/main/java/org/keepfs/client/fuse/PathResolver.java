package org.keepfs.client.fuse;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
 *
 * <p>When the filesystem's {@linkplain FileSystem#pathsAreStable paths are stable}, directories once
 * resolved are remembered for their entry timeout, so resolving {@code /a/b/c/file} costs one lookup
 * (of {@code file}) instead of one per component: libfuse 2 hands every call a full path, and an
 * {@code ls -lR} makes several calls per file.
 */
final class PathResolver {
  /** Remembered directories; past this many the memory is cleared and refilled as paths are walked. */
  static final int MAX_DIRECTORIES = 65_536;
  /** However long an entry timeout, a directory is walked again after an hour. */
  static final long MAX_REMEMBER_MILLIS = 3_600_000;

  private final FileSystem fs;
  private final boolean rememberDirectories;
  private final Map<String, Remembered> directories = new ConcurrentHashMap<>();

  private record Remembered(Entry entry, long expiresNanos) {}

  PathResolver(FileSystem fs) {
    this.fs = fs;
    this.rememberDirectories = fs.pathsAreStable();
  }

  /** The node at {@code path}, or a {@link NoEntry} when a component is missing. */
  Lookup resolve(String path) throws IOException {
    if (!rememberDirectories) {
      return walk(root(), path, 1);
    }
    int slash = path.lastIndexOf('/');
    if (slash == path.length() - 1) {
      return slash == 0 ? root() : walk(root(), path, 1);
    }
    Lookup dir = directory(slash <= 0 ? "" : path.substring(0, slash));
    if (!(dir instanceof Entry parent)) {
      return dir;
    }
    if (parent.attributes().type() != NodeType.DIRECTORY) {
      throw new ErrnoException(Errno.ENOTDIR, path.substring(0, slash) + " is not a directory");
    }
    return fs.lookup(parent.ino(), path.substring(slash + 1));
  }

  /** The directory at {@code path} ("" is the root), from memory while its entry timeout lasts. */
  private Lookup directory(String path) throws IOException {
    if (path.isEmpty()) {
      return root();
    }
    long now = System.nanoTime();
    Remembered r = directories.get(path);
    if (r != null && now - r.expiresNanos() < 0) {
      return r.entry();
    }
    Lookup found = resolve(path);
    if (found instanceof Entry e && e.attributes().type() == NodeType.DIRECTORY && e.entryTimeout().isPositive()) {
      if (directories.size() >= MAX_DIRECTORIES) {
        directories.clear();
      }
      directories.put(path, new Remembered(e, now + Math.min(e.entryTimeout().toMillis(), MAX_REMEMBER_MILLIS) * 1_000_000L));
    }
    return found;
  }

  private Lookup walk(Entry from, String path, int startAt) throws IOException {
    Entry current = from;
    int start = startAt;
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
