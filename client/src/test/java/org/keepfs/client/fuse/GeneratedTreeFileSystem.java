package org.keepfs.client.fuse;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import org.keepfs.client.fs.DirEntry;
import org.keepfs.client.fs.DirectorySink;
import org.keepfs.client.fs.Entry;
import org.keepfs.client.fs.FileSystem;
import org.keepfs.client.fs.FsStats;
import org.keepfs.client.fs.Lookup;
import org.keepfs.client.fs.NoEntry;
import org.keepfs.client.fs.NodeAttributes;
import org.keepfs.client.fs.NodeType;
import org.keepfs.client.fs.OpenFile;
import org.keepfs.client.fs.OpenFlags;
import org.keepfs.client.fs.TimedAttributes;
import org.keepfs.posix.Errno;
import org.keepfs.posix.ErrnoException;

/**
 * A read-only tree computed from its shape, to measure a front end's metadata path alone: the root
 * holds directories {@code d000...}, each holding files {@code f00000...} whose size is their index.
 * Every answer may be cached for {@code lifetime}.
 */
final class GeneratedTreeFileSystem implements FileSystem {
  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  private final int dirs;
  private final int filesPerDir;
  private final Duration lifetime;

  GeneratedTreeFileSystem(int dirs, int filesPerDir, Duration lifetime) {
    if (dirs < 1 || dirs > 1000 || filesPerDir < 0 || filesPerDir > 100_000) {
      throw new IllegalArgumentException("a generated tree has 1-1000 directories of 0-100000 files, not " + dirs + " x " + filesPerDir);
    }
    this.dirs = dirs;
    this.filesPerDir = filesPerDir;
    this.lifetime = lifetime;
  }

  private long dirIno(int k) {
    return 2 + k;
  }

  private long fileIno(int k, int j) {
    return 2 + dirs + (long) k * filesPerDir + j;
  }

  private NodeAttributes attributes(long ino) throws ErrnoException {
    if (ino == ROOT_INODE) {
      return new NodeAttributes(ino, NodeType.DIRECTORY, 0755, 2 + dirs, 0, 0, 0, T, T, T);
    }
    if (ino >= 2 && ino < 2 + dirs) {
      return new NodeAttributes(ino, NodeType.DIRECTORY, 0755, 2, 0, 0, 0, T, T, T);
    }
    long f = ino - 2 - dirs;
    if (f >= 0 && f < (long) dirs * filesPerDir) {
      return new NodeAttributes(ino, NodeType.FILE, 0644, 1, f % filesPerDir, 0, 0, T, T, T);
    }
    throw new ErrnoException(Errno.ENOENT, "no inode " + ino);
  }

  private static int index(String name, char prefix, int digits, int limit) {
    if (name.length() != digits + 1 || name.charAt(0) != prefix) {
      return -1;
    }
    try {
      int i = Integer.parseInt(name, 1, name.length(), 10);
      return i < limit ? i : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  @Override
  public Lookup lookup(long parent, String name) throws IOException {
    long ino = -1;
    if (parent == ROOT_INODE) {
      int k = index(name, 'd', 3, dirs);
      ino = k < 0 ? -1 : dirIno(k);
    } else if (parent >= 2 && parent < 2 + dirs) {
      int j = index(name, 'f', 5, filesPerDir);
      ino = j < 0 ? -1 : fileIno((int) (parent - 2), j);
    } else {
      throw new ErrnoException(Errno.ENOTDIR, "inode " + parent + " is not a directory");
    }
    return ino < 0 ? new NoEntry(lifetime) : new Entry(attributes(ino), lifetime, lifetime);
  }

  @Override
  public TimedAttributes getattr(long ino) throws IOException {
    return new TimedAttributes(attributes(ino), lifetime);
  }

  @Override
  public void readdir(long dir, long offset, DirectorySink sink) throws IOException {
    if (dir == ROOT_INODE) {
      for (int k = (int) offset; k < dirs; k++) {
        if (!sink.accept(new DirEntry(String.format("d%03d", k), dirIno(k), NodeType.DIRECTORY, k + 1L))) {
          return;
        }
      }
    } else if (dir >= 2 && dir < 2 + dirs) {
      int k = (int) (dir - 2);
      for (int j = (int) offset; j < filesPerDir; j++) {
        if (!sink.accept(new DirEntry(String.format("f%05d", j), fileIno(k, j), NodeType.FILE, j + 1L))) {
          return;
        }
      }
    } else {
      throw new ErrnoException(Errno.ENOTDIR, "inode " + dir + " is not a directory");
    }
  }

  @Override
  public OpenFile open(long ino, OpenFlags flags) throws IOException {
    NodeAttributes a = attributes(ino);
    if (a.type() != NodeType.FILE) {
      throw new ErrnoException(Errno.EISDIR, "inode " + ino + " is a directory");
    }
    if (flags.writes()) {
      throw new ErrnoException(Errno.EROFS, "the generated tree is read-only");
    }
    return new OpenFile() {
      @Override
      public int read(ByteBuffer dst, long offset) {
        int n = (int) Math.max(0, Math.min(dst.remaining(), a.size() - offset));
        dst.position(dst.position() + n);
        return n;
      }

      @Override
      public int write(ByteBuffer src, long offset) throws IOException {
        throw new ErrnoException(Errno.EBADF, "read-only");
      }

      @Override
      public TimedAttributes getattr() {
        return new TimedAttributes(a, lifetime);
      }

      @Override
      public void truncate(long size) throws IOException {
        throw new ErrnoException(Errno.EBADF, "read-only");
      }

      @Override
      public void release() {}
    };
  }

  @Override
  public String readlink(long ino) throws IOException {
    throw new ErrnoException(Errno.EINVAL, "no symbolic links here");
  }

  @Override
  public FsStats statfs() {
    return new FsStats(4096, 1 << 20, 0, 0, 2L + dirs + (long) dirs * filesPerDir, 0, 255);
  }
}
