package org.keepfs.client.writable;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.keepfs.client.fs.NodeAttributes;
import org.keepfs.client.fs.NodeType;
import org.keepfs.client.fs.OpenFile;
import org.keepfs.client.fs.OpenFlags;
import org.keepfs.client.fs.PageCache;
import org.keepfs.client.fs.TimedAttributes;
import org.keepfs.posix.Errno;
import org.keepfs.posix.ErrnoException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code .arv/} control directory at the root of a writable mount. It is not part of the
 * collection: it is made by the mount, cannot be removed or renamed, and holds
 * <ul>
 *   <li>{@code commit}: writing anything commits; the write returns once the commit is done, and fails
 *       with EIO when the commit failed;
 *   <li>{@code dirty}: reads {@code 1\n} while there are uncommitted changes, {@code 0\n} otherwise;
 *   <li>{@code hash}: the portable data hash of the last commit and a newline (empty before the first
 *       commit of a new collection).
 * </ul>
 * Its inode numbers lie far above the collection's, which count up from 1.
 */
final class ControlDir {
  private static final Logger LOG = LoggerFactory.getLogger(ControlDir.class);

  static final String NAME = ".arv";
  static final long DIR_INODE = 1L << 60;

  /** One control file: its name, inode and permission bits. */
  enum ControlFile {
    COMMIT("commit", 0600),
    DIRTY("dirty", 0444),
    HASH("hash", 0444);

    final String fileName;
    final int permissions;

    ControlFile(String fileName, int permissions) {
      this.fileName = fileName;
      this.permissions = permissions;
    }

    long inode() {
      return DIR_INODE + 1 + ordinal();
    }

    static Optional<ControlFile> named(String name) {
      for (ControlFile f : values()) {
        if (f.fileName.equals(name)) {
          return Optional.of(f);
        }
      }
      return Optional.empty();
    }

    static Optional<ControlFile> ofInode(long ino) {
      long i = ino - DIR_INODE - 1;
      return i >= 0 && i < values().length ? Optional.of(values()[(int) i]) : Optional.empty();
    }
  }

  private final Commits commits;
  private final int uid;
  private final int gid;
  private final Instant created = Instant.now();

  ControlDir(Commits commits, int uid, int gid) {
    this.commits = commits;
    this.uid = uid;
    this.gid = gid;
  }

  static boolean isControlInode(long ino) {
    return ino >= DIR_INODE && ino <= DIR_INODE + ControlFile.values().length;
  }

  TimedAttributes dirAttributes() {
    return new TimedAttributes(new NodeAttributes(DIR_INODE, NodeType.DIRECTORY, 0755, 2, 0, uid, gid, created, created,
        created), Duration.ZERO);
  }

  TimedAttributes attributes(long ino) throws ErrnoException {
    if (ino == DIR_INODE) {
      return dirAttributes();
    }
    ControlFile f = ControlFile.ofInode(ino).orElseThrow(() -> new ErrnoException(Errno.ENOENT, "no control inode " + ino));
    return attributes(f);
  }

  private TimedAttributes attributes(ControlFile f) {
    Instant now = Instant.now();
    return new TimedAttributes(new NodeAttributes(f.inode(), NodeType.FILE, f.permissions, 1, content(f).length, uid, gid,
        now, now, now), Duration.ZERO);
  }

  Optional<TimedAttributes> lookup(String name) {
    return ControlFile.named(name).map(this::attributes);
  }

  List<ControlFile> files() {
    return List.of(ControlFile.values());
  }

  private byte[] content(ControlFile f) {
    String text = switch (f) {
      case COMMIT -> "";
      case DIRTY -> commits.dirty() ? "1\n" : "0\n";
      case HASH -> commits.lastPdh().map(p -> p + "\n").orElse("");
    };
    return text.getBytes(StandardCharsets.UTF_8);
  }

  OpenFile open(long ino, OpenFlags flags) throws ErrnoException {
    if (ino == DIR_INODE) {
      throw new ErrnoException(Errno.EISDIR, NAME + " is a directory");
    }
    ControlFile f = ControlFile.ofInode(ino).orElseThrow(() -> new ErrnoException(Errno.ENOENT, "no control inode " + ino));
    if (flags.access().writes() && f != ControlFile.COMMIT) {
      throw new ErrnoException(Errno.EACCES, NAME + "/" + f.fileName + " is read-only");
    }
    return new Opened(f, content(f));
  }

  /** Runs the commit a write to {@code .arv/commit} asks for; EIO (with the reason logged) when it fails. */
  void commitNow() throws ErrnoException {
    try {
      commits.commit();
    } catch (IOException | RuntimeException e) {
      LOG.error("commit through {}/commit failed: {}", NAME, e.toString());
      throw new ErrnoException(Errno.EIO, "commit failed: " + e.getMessage());
    }
  }

  /** A control file as opened: its content at open, read around the page cache. */
  private final class Opened implements OpenFile {
    private final ControlFile file;
    private final byte[] text;

    Opened(ControlFile file, byte[] text) {
      this.file = file;
      this.text = text;
    }

    @Override
    public int read(ByteBuffer dst, long offset) {
      if (offset >= text.length) {
        return 0;
      }
      int n = (int) Math.min(dst.remaining(), text.length - offset);
      dst.put(text, (int) offset, n);
      return n;
    }

    @Override
    public int write(ByteBuffer src, long offset) throws ErrnoException {
      if (file != ControlFile.COMMIT) {
        throw new ErrnoException(Errno.EACCES, NAME + "/" + file.fileName + " is read-only");
      }
      int n = src.remaining();
      commitNow();
      return n;
    }

    @Override
    public TimedAttributes getattr() {
      return attributes(file);
    }

    @Override
    public void truncate(long size) throws ErrnoException {
      if (file != ControlFile.COMMIT) {
        throw new ErrnoException(Errno.EACCES, NAME + "/" + file.fileName + " is read-only");
      }
    }

    @Override
    public void release() {}

    @Override
    public PageCache pageCache() {
      return PageCache.BYPASS;
    }
  }
}
