package org.keepfs.client.fuse;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.keepfs.client.fs.Created;
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
 * A filesystem that costs almost nothing, to measure the adapter alone (the method of
 * reference/java-libraries.md §1.2): {@code /pattern} is a read-only file whose byte at offset o is
 * {@code o % 251}, copied from a prebuilt pattern; every other name is a write sink that keeps only
 * its size.
 */
final class PatternFileSystem implements FileSystem {
  static final String PATTERN_NAME = "pattern";
  private static final long PATTERN_INO = 2;
  private static final int PERIOD = 251;
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  private final long patternSize;
  private final byte[] pattern = new byte[(1 << 20) + PERIOD];
  private final Map<String, AtomicLong> sinkSizes = new ConcurrentHashMap<>();
  private final Map<String, Long> sinkInodes = new ConcurrentHashMap<>();
  private final AtomicLong nextIno = new AtomicLong(3);

  PatternFileSystem(long patternSize) {
    this.patternSize = patternSize;
    for (int i = 0; i < pattern.length; i++) {
      pattern[i] = (byte) (i % PERIOD);
    }
  }

  private NodeAttributes attrs(long ino, NodeType type, int perms, long size) {
    return new NodeAttributes(ino, type, perms, type == NodeType.DIRECTORY ? 2 : 1, size, 0, 0, T, T, T);
  }

  private NodeAttributes sinkAttrs(String name) {
    return attrs(sinkInodes.get(name), NodeType.FILE, 0644, sinkSizes.get(name).get());
  }

  private String sinkName(long ino) throws ErrnoException {
    for (var e : sinkInodes.entrySet()) {
      if (e.getValue() == ino) {
        return e.getKey();
      }
    }
    throw new ErrnoException(Errno.ENOENT, "no inode " + ino);
  }

  @Override
  public Lookup lookup(long parent, String name) {
    if (parent != ROOT_INODE) {
      return NoEntry.UNCACHED;
    }
    if (name.equals(PATTERN_NAME)) {
      return new Entry(attrs(PATTERN_INO, NodeType.FILE, 0444, patternSize), TIMEOUT, TIMEOUT);
    }
    return sinkInodes.containsKey(name) ? new Entry(sinkAttrs(name), TIMEOUT, TIMEOUT) : NoEntry.UNCACHED;
  }

  @Override
  public TimedAttributes getattr(long ino) throws IOException {
    if (ino == ROOT_INODE) {
      return new TimedAttributes(attrs(ROOT_INODE, NodeType.DIRECTORY, 0755, 0), TIMEOUT);
    }
    if (ino == PATTERN_INO) {
      return new TimedAttributes(attrs(PATTERN_INO, NodeType.FILE, 0444, patternSize), TIMEOUT);
    }
    return new TimedAttributes(sinkAttrs(sinkName(ino)), TIMEOUT);
  }

  @Override
  public void readdir(long dir, long offset, DirectorySink sink) {
    if (offset == 0) {
      sink.accept(new DirEntry(PATTERN_NAME, PATTERN_INO, NodeType.FILE, 1));
    }
  }

  @Override
  public OpenFile open(long ino, OpenFlags flags) throws IOException {
    if (ino == PATTERN_INO) {
      return new PatternFile();
    }
    String name = sinkName(ino);
    if (flags.truncate()) {
      sinkSizes.get(name).set(0);
    }
    return new Sink(name);
  }

  @Override
  public Created create(long parent, String name, int permissions, OpenFlags flags) throws IOException {
    sinkInodes.computeIfAbsent(name, n -> nextIno.getAndIncrement());
    sinkSizes.computeIfAbsent(name, n -> new AtomicLong()).set(0);
    return new Created(new Entry(sinkAttrs(name), TIMEOUT, TIMEOUT), new Sink(name));
  }

  @Override
  public void unlink(long parent, String name) throws IOException {
    if (sinkInodes.remove(name) == null) {
      throw new ErrnoException(Errno.ENOENT, name);
    }
    sinkSizes.remove(name);
  }

  @Override
  public TimedAttributes truncate(long ino, long size) throws IOException {
    String name = sinkName(ino);
    sinkSizes.get(name).set(size);
    return new TimedAttributes(sinkAttrs(name), TIMEOUT);
  }

  @Override
  public String readlink(long ino) throws IOException {
    throw new ErrnoException(Errno.EINVAL, "no symlinks here");
  }

  @Override
  public FsStats statfs() {
    return new FsStats(4096, 1 << 20, 1 << 19, 1 << 19, 1000, 900, 255);
  }

  private final class PatternFile implements OpenFile {
    @Override
    public int read(ByteBuffer dst, long offset) {
      int n = (int) Math.max(0, Math.min(dst.remaining(), patternSize - offset));
      int done = 0;
      while (done < n) {
        int start = (int) ((offset + done) % PERIOD);
        int chunk = Math.min(n - done, pattern.length - start);
        dst.put(pattern, start, chunk);
        done += chunk;
      }
      return n;
    }

    @Override
    public int write(ByteBuffer src, long offset) throws IOException {
      throw new ErrnoException(Errno.EBADF, "the pattern is read-only");
    }

    @Override
    public TimedAttributes getattr() throws IOException {
      return PatternFileSystem.this.getattr(PATTERN_INO);
    }

    @Override
    public void truncate(long size) throws IOException {
      throw new ErrnoException(Errno.EBADF, "the pattern is read-only");
    }

    @Override
    public void release() {}
  }

  private final class Sink implements OpenFile {
    private final String name;

    Sink(String name) {
      this.name = name;
    }

    @Override
    public int read(ByteBuffer dst, long offset) {
      return 0;
    }

    @Override
    public int write(ByteBuffer src, long offset) {
      int n = src.remaining();
      src.position(src.limit());
      sinkSizes.get(name).accumulateAndGet(offset + n, Math::max);
      return n;
    }

    @Override
    public TimedAttributes getattr() {
      return new TimedAttributes(sinkAttrs(name), TIMEOUT);
    }

    @Override
    public void truncate(long size) {
      sinkSizes.get(name).set(size);
    }

    @Override
    public void release() {}
  }
}
