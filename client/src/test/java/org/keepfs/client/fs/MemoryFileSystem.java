package org.keepfs.client.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.keepfs.posix.Errno;
import org.keepfs.posix.ErrnoException;

/**
 * A small, complete filesystem held in memory: a tree of directory, file and symlink nodes. It
 * exists to exercise front ends (the FUSE adapter) against the {@link FileSystem} contract.
 *
 * <p>Lock order: the tree lock ({@code this}) before a file's content lock. File content is kept
 * in 1 MiB chunks so a file can pass 2 GiB and reads copy straight from a chunk into the caller's
 * buffer.
 */
public final class MemoryFileSystem implements FileSystem {
  static final int CHUNK = 1 << 20;
  private static final Duration TIMEOUT = Duration.ofSeconds(1);
  private static final long CAPACITY_BYTES = 64L << 30;

  private final Clock clock;
  private final AtomicLong nextIno = new AtomicLong(FileSystem.ROOT_INODE);
  private final Map<Long, Node> nodes = new ConcurrentHashMap<>();
  private final AtomicLong usedBytes = new AtomicLong();

  public MemoryFileSystem() {
    this(Clock.systemUTC());
  }

  public MemoryFileSystem(Clock clock) {
    this.clock = clock;
    Dir root = new Dir(attributes(nextIno.getAndIncrement(), NodeType.DIRECTORY, 0755, 2, 0));
    nodes.put(root.ino(), root);
  }

  private abstract static sealed class Node permits Dir, FileNode, Link {
    volatile NodeAttributes attrs;

    Node(NodeAttributes attrs) {
      this.attrs = attrs;
    }

    long ino() {
      return attrs.ino();
    }
  }

  private static final class Dir extends Node {
    final TreeMap<String, Node> children = new TreeMap<>();

    Dir(NodeAttributes a) {
      super(a);
    }
  }

  private static final class Link extends Node {
    final String target;

    Link(NodeAttributes a, String target) {
      super(a);
      this.target = target;
    }
  }

  private final class FileNode extends Node {
    final ReentrantReadWriteLock contentLock = new ReentrantReadWriteLock();
    final List<byte[]> chunks = new ArrayList<>();
    volatile PageCache pageCache = PageCache.DROP;

    FileNode(NodeAttributes a) {
      super(a);
    }

    int read(ByteBuffer dst, long offset) {
      contentLock.readLock().lock();
      try {
        long size = attrs.size();
        int total = 0;
        long pos = offset;
        while (dst.hasRemaining() && pos < size) {
          int n = (int) Math.min(Math.min(dst.remaining(), size - pos), CHUNK - pos % CHUNK);
          int ci = (int) (pos / CHUNK);
          if (ci < chunks.size()) {
            dst.put(chunks.get(ci), (int) (pos % CHUNK), n);
          } else {
            dst.put(new byte[n]);
          }
          pos += n;
          total += n;
        }
        return total;
      } finally {
        contentLock.readLock().unlock();
      }
    }

    int write(ByteBuffer src, long offset) {
      contentLock.writeLock().lock();
      try {
        int total = src.remaining();
        long pos = offset;
        while (src.hasRemaining()) {
          int ci = (int) (pos / CHUNK);
          while (chunks.size() <= ci) {
            chunks.add(new byte[CHUNK]);
            usedBytes.addAndGet(CHUNK);
          }
          int n = (int) Math.min(src.remaining(), CHUNK - pos % CHUNK);
          src.get(chunks.get(ci), (int) (pos % CHUNK), n);
          pos += n;
        }
        Instant now = clock.instant();
        attrs = attrs.withSize(Math.max(attrs.size(), pos), now);
        return total;
      } finally {
        contentLock.writeLock().unlock();
      }
    }

    void truncate(long size) {
      contentLock.writeLock().lock();
      try {
        long old = attrs.size();
        long keepChunks = (size + CHUNK - 1) / CHUNK;
        while (chunks.size() > keepChunks) {
          chunks.removeLast();
          usedBytes.addAndGet(-CHUNK);
        }
        if (size < old && size % CHUNK != 0 && chunks.size() == keepChunks && keepChunks > 0) {
          // Bytes past the new end must read as zeros if the file grows again.
          byte[] last = chunks.get((int) (keepChunks - 1));
          java.util.Arrays.fill(last, (int) (size % CHUNK), CHUNK, (byte) 0);
        }
        attrs = attrs.withSize(size, clock.instant());
      } finally {
        contentLock.writeLock().unlock();
      }
    }
  }

  private final class Handle implements OpenFile {
    private final FileNode file;
    private final OpenFlags flags;
    private volatile boolean released;

    Handle(FileNode file, OpenFlags flags) {
      this.file = file;
      this.flags = flags;
    }

    @Override
    public int read(ByteBuffer dst, long offset) throws IOException {
      check(flags.access().reads(), "not open for reading");
      return file.read(dst, offset);
    }

    @Override
    public int write(ByteBuffer src, long offset) throws IOException {
      check(flags.access().writes(), "not open for writing");
      return file.write(src, flags.append() ? file.attrs.size() : offset);
    }

    @Override
    public TimedAttributes getattr() throws IOException {
      check(true, "stat");
      return new TimedAttributes(file.attrs, TIMEOUT);
    }

    @Override
    public void truncate(long size) throws IOException {
      check(flags.access().writes(), "not open for writing");
      file.truncate(size);
    }

    @Override
    public void release() throws IOException {
      check(true, "released twice");
      released = true;
    }

    @Override
    public PageCache pageCache() {
      return file.pageCache;
    }

    private void check(boolean allowed, String why) throws ErrnoException {
      if (released) {
        throw new ErrnoException(Errno.EBADF, "handle of inode " + file.ino() + " was released");
      }
      if (!allowed) {
        throw new ErrnoException(Errno.EBADF, "inode " + file.ino() + ": " + why);
      }
    }
  }

  // ---- FileSystem ----

  @Override
  public synchronized Lookup lookup(long parent, String name) throws IOException {
    Node child = dir(parent).children.get(name);
    return child == null ? new NoEntry(TIMEOUT) : entry(child);
  }

  @Override
  public TimedAttributes getattr(long ino) throws IOException {
    return new TimedAttributes(node(ino).attrs, TIMEOUT);
  }

  @Override
  public void readdir(long dirIno, long offset, DirectorySink sink) throws IOException {
    List<DirEntry> listing = new ArrayList<>();
    synchronized (this) {
      long index = 0;
      for (var child : dir(dirIno).children.entrySet()) {
        index++;
        if (index > offset) {
          Node n = child.getValue();
          listing.add(new DirEntry(child.getKey(), n.ino(), n.attrs.type(), index));
        }
      }
    }
    for (DirEntry e : listing) {
      if (!sink.accept(e)) {
        return;
      }
    }
  }

  @Override
  public OpenFile open(long ino, OpenFlags flags) throws IOException {
    FileNode file = file(ino);
    if (flags.truncate() && flags.access().writes()) {
      file.truncate(0);
    }
    return new Handle(file, flags);
  }

  @Override
  public String readlink(long ino) throws IOException {
    if (node(ino) instanceof Link link) {
      return link.target;
    }
    throw new ErrnoException(Errno.EINVAL, "inode " + ino + " is not a symbolic link");
  }

  @Override
  public FsStats statfs() {
    int block = 4096;
    long total = CAPACITY_BYTES / block;
    long free = Math.max(0, total - usedBytes.get() / block);
    return new FsStats(block, total, free, free, 1 << 24, (1 << 24) - nodes.size(), Names.MAX_NAME_BYTES);
  }

  @Override
  public List<String> listxattr(long ino) throws IOException {
    node(ino);
    return List.of();
  }

  @Override
  public synchronized Created create(long parent, String name, int permissions, OpenFlags flags) throws IOException {
    Dir dir = dir(parent);
    Node existing = dir.children.get(Names.check(name));
    if (existing != null) {
      if (flags.exclusive()) {
        throw new ErrnoException(Errno.EEXIST, name + " exists");
      }
      return new Created(entry(existing), open(existing.ino(), flags));
    }
    FileNode file = new FileNode(attributes(nextIno.getAndIncrement(), NodeType.FILE, permissions, 1, 0));
    link(dir, name, file);
    return new Created(entry(file), new Handle(file, flags));
  }

  @Override
  public synchronized Entry mkdir(long parent, String name, int permissions) throws IOException {
    Dir dir = dir(parent);
    requireAbsent(dir, Names.check(name));
    Dir child = new Dir(attributes(nextIno.getAndIncrement(), NodeType.DIRECTORY, permissions, 2, 0));
    link(dir, name, child);
    dir.attrs = dir.attrs.withNlink(dir.attrs.nlink() + 1, clock.instant());
    return entry(child);
  }

  @Override
  public synchronized Entry symlink(long parent, String name, String target) throws IOException {
    Dir dir = dir(parent);
    requireAbsent(dir, Names.check(name));
    Link link = new Link(attributes(nextIno.getAndIncrement(), NodeType.SYMLINK, 0777, 1,
        target.getBytes(java.nio.charset.StandardCharsets.UTF_8).length), target);
    link(dir, name, link);
    return entry(link);
  }

  @Override
  public synchronized void unlink(long parent, String name) throws IOException {
    Dir dir = dir(parent);
    Node child = existing(dir, name);
    if (child instanceof Dir) {
      throw new ErrnoException(Errno.EISDIR, name + " is a directory");
    }
    detach(dir, name, child);
  }

  @Override
  public synchronized void rmdir(long parent, String name) throws IOException {
    Dir dir = dir(parent);
    Node child = existing(dir, name);
    if (!(child instanceof Dir d)) {
      throw new ErrnoException(Errno.ENOTDIR, name + " is not a directory");
    }
    if (!d.children.isEmpty()) {
      throw new ErrnoException(Errno.ENOTEMPTY, name + " is not empty");
    }
    detach(dir, name, child);
    dir.attrs = dir.attrs.withNlink(dir.attrs.nlink() - 1, clock.instant());
  }

  @Override
  public synchronized void rename(long parent, String name, long newParent, String newName) throws IOException {
    Dir from = dir(parent);
    Dir to = dir(newParent);
    Node moving = existing(from, name);
    Names.check(newName);
    if (moving instanceof Dir movingDir && isAncestor(movingDir, to)) {
      throw new ErrnoException(Errno.EINVAL, "cannot move " + name + " into itself");
    }
    Node replaced = to.children.get(newName);
    if (replaced == moving) {
      return;
    }
    if (replaced != null) {
      if (replaced instanceof Dir rd) {
        if (!(moving instanceof Dir)) {
          throw new ErrnoException(Errno.EISDIR, newName + " is a directory");
        }
        if (!rd.children.isEmpty()) {
          throw new ErrnoException(Errno.ENOTEMPTY, newName + " is not empty");
        }
        to.attrs = to.attrs.withNlink(to.attrs.nlink() - 1, clock.instant());
      } else if (moving instanceof Dir) {
        throw new ErrnoException(Errno.ENOTDIR, newName + " is not a directory");
      }
      detach(to, newName, replaced);
    }
    from.children.remove(name);
    to.children.put(newName, moving);
    if (moving instanceof Dir && from != to) {
      Instant now = clock.instant();
      from.attrs = from.attrs.withNlink(from.attrs.nlink() - 1, now);
      to.attrs = to.attrs.withNlink(to.attrs.nlink() + 1, now);
    }
  }

  private boolean isAncestor(Dir candidate, Dir dir) {
    if (candidate == dir) {
      return true;
    }
    for (Node n : candidate.children.values()) {
      if (n instanceof Dir d && isAncestor(d, dir)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public TimedAttributes truncate(long ino, long size) throws IOException {
    if (size < 0) {
      throw new ErrnoException(Errno.EINVAL, "negative size " + size);
    }
    FileNode file = file(ino);
    file.truncate(size);
    return new TimedAttributes(file.attrs, TIMEOUT);
  }

  @Override
  public synchronized TimedAttributes chmod(long ino, int permissions) throws IOException {
    Node n = node(ino);
    n.attrs = n.attrs.withPermissions(permissions, clock.instant());
    return new TimedAttributes(n.attrs, TIMEOUT);
  }

  @Override
  public synchronized TimedAttributes setTimes(long ino, Optional<Instant> atime, Optional<Instant> mtime) throws IOException {
    Node n = node(ino);
    n.attrs = n.attrs.withTimes(atime.orElse(n.attrs.atime()), mtime.orElse(n.attrs.mtime()), clock.instant());
    return new TimedAttributes(n.attrs, TIMEOUT);
  }

  // ---- test controls, outside the FileSystem contract ----

  /** Replaces a file's bytes without touching its attributes, as a remote change the client has not seen. */
  public void replaceContentSilently(long ino, byte[] content) throws IOException {
    FileNode file = file(ino);
    file.contentLock.writeLock().lock();
    try {
      if (content.length != file.attrs.size()) {
        throw new IllegalArgumentException("a silent change must keep the size " + file.attrs.size());
      }
      for (int i = 0; i < content.length; i += CHUNK) {
        System.arraycopy(content, i, file.chunks.get(i / CHUNK), 0, Math.min(CHUNK, content.length - i));
      }
    } finally {
      file.contentLock.writeLock().unlock();
    }
  }

  /** Sets what opens of this file tell the page cache. */
  public void setPageCache(long ino, PageCache policy) throws IOException {
    file(ino).pageCache = policy;
  }

  /** How many nodes the tree holds, root included. */
  public int nodeCount() {
    return nodes.size();
  }

  // ---- helpers ----

  private NodeAttributes attributes(long ino, NodeType type, int permissions, long nlink, long size) {
    Instant now = clock.instant();
    return new NodeAttributes(ino, type, permissions, nlink, size, 0, 0, now, now, now);
  }

  private Entry entry(Node n) {
    return new Entry(n.attrs, TIMEOUT, TIMEOUT);
  }

  private void link(Dir dir, String name, Node child) {
    nodes.put(child.ino(), child);
    dir.children.put(name, child);
    Instant now = clock.instant();
    dir.attrs = dir.attrs.withTimes(dir.attrs.atime(), now, now);
  }

  private void detach(Dir dir, String name, Node child) {
    dir.children.remove(name);
    nodes.remove(child.ino());
    if (child instanceof FileNode f) {
      usedBytes.addAndGet(-(long) f.chunks.size() * CHUNK);
    }
    Instant now = clock.instant();
    dir.attrs = dir.attrs.withTimes(dir.attrs.atime(), now, now);
  }

  private Node node(long ino) throws ErrnoException {
    Node n = nodes.get(ino);
    if (n == null) {
      throw new ErrnoException(Errno.ENOENT, "no inode " + ino);
    }
    return n;
  }

  private Dir dir(long ino) throws ErrnoException {
    if (node(ino) instanceof Dir d) {
      return d;
    }
    throw new ErrnoException(Errno.ENOTDIR, "inode " + ino + " is not a directory");
  }

  private FileNode file(long ino) throws ErrnoException {
    Node n = node(ino);
    if (n instanceof FileNode f) {
      return f;
    }
    throw new ErrnoException(n instanceof Dir ? Errno.EISDIR : Errno.EINVAL, "inode " + ino + " is not a regular file");
  }

  private static Node existing(Dir dir, String name) throws ErrnoException {
    Node n = dir.children.get(name);
    if (n == null) {
      throw new ErrnoException(Errno.ENOENT, name + ": no such file or directory");
    }
    return n;
  }

  private static void requireAbsent(Dir dir, String name) throws ErrnoException {
    if (dir.children.containsKey(name)) {
      throw new ErrnoException(Errno.EEXIST, name + " exists");
    }
  }
}
