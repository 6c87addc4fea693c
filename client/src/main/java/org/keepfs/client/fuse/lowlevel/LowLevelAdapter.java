package org.keepfs.client.fuse.lowlevel;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.keepfs.client.fs.DirEntry;
import org.keepfs.client.fs.Entry;
import org.keepfs.client.fs.FileRegion;
import org.keepfs.client.fs.FileSystem;
import org.keepfs.client.fs.Lookup;
import org.keepfs.client.fs.NoEntry;
import org.keepfs.client.fs.NodeType;
import org.keepfs.client.fs.OpenFile;
import org.keepfs.client.fs.OpenFlags;
import org.keepfs.client.fs.PageCache;
import org.keepfs.client.fs.TimedAttributes;
import org.keepfs.client.fuse.ErrorReplies;
import org.keepfs.client.fuse.LinuxOpenFlags;
import org.keepfs.client.fuse.OpenFileTable;
import org.keepfs.client.fuse.lowlevel.Structs.BufVec;
import org.keepfs.client.fuse.lowlevel.Structs.ConnInfo;
import org.keepfs.client.fuse.lowlevel.Structs.EntryParam;
import org.keepfs.client.fuse.lowlevel.Structs.FileInfo;
import org.keepfs.posix.Errno;
import org.keepfs.posix.ErrnoException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Translates libfuse 3 low-level requests to {@link FileSystem}, which is inode-based like them:
 * no path resolution, one call per request. Every request gets exactly one reply; no exception
 * leaves an upcall (errors become errnos through {@link ErrorReplies}, i.e. {@code Errno.of}).
 *
 * <p><b>Cache lifetimes.</b> Each entry and attribute reply carries the lifetimes the filesystem
 * returned ({@link Entry#entryTimeout()}, {@link Entry#attrTimeout()}, {@link TimedAttributes#timeout()});
 * a {@link NoEntry} with a lifetime becomes a cached negative dentry.
 *
 * <p><b>Lookup counts.</b> Every entry handed to the kernel counts one lookup of its inode
 * ({@link LookupCounts}), counted before the reply so a FORGET racing the reply cannot go below zero,
 * and undone when the reply fails.
 *
 * <p><b>Listings.</b> "." and ".." take offsets 1 and 2 and the filesystem's offsets follow. With
 * readdirplus, each entry carries its node's attributes (one {@link FileSystem#lookup} per name), so
 * {@code ls -l} needs no LOOKUP per file; "." and ".." go without attributes, as the kernel ignores them.
 */
final class LowLevelAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(LowLevelAdapter.class);
  /** The largest read and write request: the kernel's 256-page limit. */
  static final int MAX_REQUEST_BYTES = 1 << 20;
  private static final long DOT_ENTRIES = 2;
  private static final int SET_MODE = 1;
  private static final int SET_UID = 1 << 1;
  private static final int SET_GID = 1 << 2;
  private static final int SET_SIZE = 1 << 3;
  private static final int SET_ATIME = 1 << 4;
  private static final int SET_MTIME = 1 << 5;
  private static final int SET_ATIME_NOW = 1 << 7;
  private static final int SET_MTIME_NOW = 1 << 8;

  /**
   * Whether reads a file can answer from one open descriptor ({@link OpenFile#region}) are replied with
   * that descriptor, for libfuse to splice; {@code -Dkeepfs.fuse.splice=false} copies every read
   * (to compare the two).
   */
  static final boolean SPLICE_READS = !"false".equals(System.getProperty("keepfs.fuse.splice"));

  private final FileSystem fs;
  private final StatLayout layout = StatLayout.current();
  private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(() -> new Scratch(layout));
  final OpenFileTable openFiles = new OpenFileTable();
  final LookupCounts lookups = new LookupCounts();
  private final HandlesByInode handlesByInode = new HandlesByInode();
  private final WriteOperations writes;

  /** Run once by the first request after INIT (see {@link #afterInit}). */
  private volatile Runnable afterInit;

  LowLevelAdapter(FileSystem fs) {
    this.fs = fs;
    this.writes = new WriteOperations(this, fs);
  }

  WriteOperations writes() {
    return writes;
  }

  // ---- session ----

  public void init(MemorySegment userdata, MemorySegment connPointer) {
    try {
      MemorySegment conn = ConnInfo.of(connPointer);
      int capable = ConnInfo.capable(conn);
      int want = ConnInfo.want(conn) | (capable & (ConnInfo.CAP_READDIRPLUS | ConnInfo.CAP_ASYNC_READ | ConnInfo.CAP_PARALLEL_DIROPS));
      if (SPLICE_READS) {
        // Replies that name a cache file go from its page cache to /dev/fuse through a pipe, uncopied.
        want |= capable & ConnInfo.CAP_SPLICE_WRITE;
      }
      // Always readdirplus: the adaptive mode falls back to plain listings plus a LOOKUP per name in `ls -l`.
      want &= ~ConnInfo.CAP_READDIRPLUS_AUTO;
      ConnInfo.setWant(conn, want);
      ConnInfo.setMaxWrite(conn, MAX_REQUEST_BYTES);
      ConnInfo.setTimeGranularity(conn, 1);
      LOG.debug("FUSE init: capable 0x{}, want 0x{}", Integer.toHexString(capable), Integer.toHexString(want));
    } catch (Throwable e) {
      LOG.warn("FUSE init: could not set connection options: {}", e.toString());
    }
  }

  /**
   * Runs {@code task} at the first request after INIT. The kernel applies INIT's answer (the mount's
   * read-ahead among it) only when it receives the reply, after {@link #init} returns, and sends other
   * requests only after that: a setting that INIT would overwrite must wait for one.
   */
  void afterInit(Runnable task) {
    afterInit = task;
  }

  private void firstRequest() {
    Runnable task = afterInit;
    if (task != null) {
      afterInit = null;
      task.run();
    }
  }

  // ---- names and attributes ----

  public void lookup(MemorySegment req, long parent, MemorySegment namePointer) {
    firstRequest();
    String name = "?";
    try {
      name = string(namePointer);
      Lookup found = fs.lookup(parent, name);
      Scratch s = scratch.get();
      if (found instanceof Entry entry) {
        replyEntry(req, entry, s);
      } else if (found instanceof NoEntry none && !none.negativeTimeout().isZero()) {
        EntryParam.writeNone(s.entry, layout, 0, 0, none.negativeTimeout());
        Replies.entry(req, s.entry);
      } else {
        Replies.error(req, Errno.ENOENT);
      }
    } catch (Throwable e) {
      fail(req, "lookup", parent, name, e);
    }
  }

  /** Replies with an entry, counting the lookup the kernel will hold. */
  void replyEntry(MemorySegment req, Entry entry, Scratch s) {
    EntryParam.write(s.entry, layout, entry.attributes(), MAX_REQUEST_BYTES, entry.entryTimeout(), entry.attrTimeout());
    lookups.add(entry.ino());
    if (Replies.entry(req, s.entry) != 0) {
      lookups.undo(entry.ino());
    }
  }

  public void forget(MemorySegment req, long ino, long nlookup) {
    try {
      lookups.forget(ino, nlookup);
    } catch (Throwable e) {
      LOG.warn("forget of inode {}: {}", ino, e.toString());
    }
    Replies.none(req);
  }

  public void forgetMulti(MemorySegment req, long count, MemorySegment forgets) {
    try {
      MemorySegment array = forgets.reinterpret(count * Structs.ForgetData.SIZE);
      for (long i = 0; i < count; i++) {
        lookups.forget(Structs.ForgetData.ino(array, i), Structs.ForgetData.nlookup(array, i));
      }
    } catch (Throwable e) {
      LOG.warn("forget of {} inodes: {}", count, e.toString());
    }
    Replies.none(req);
  }

  public void getattr(MemorySegment req, long ino, MemorySegment fi) {
    firstRequest();
    try {
      OpenFile file = LibFuse3.isNull(fi) ? null : openFiles.get(FileInfo.fh(FileInfo.of(fi)));
      replyAttr(req, file != null ? file.getattr() : attributes(ino));
    } catch (Throwable e) {
      fail(req, "getattr", ino, null, e);
    }
  }

  /** The attributes of {@code ino}, through an open handle when the filesystem no longer knows the node. */
  private TimedAttributes attributes(long ino) throws java.io.IOException {
    try {
      return fs.getattr(ino);
    } catch (ErrnoException e) {
      OpenFile open = openFiles.get(handlesByInode.any(ino));
      if (open == null || (e.errno() != Errno.ENOENT && e.errno() != Errno.ESTALE)) {
        throw e;
      }
      return open.getattr();
    }
  }

  void replyAttr(MemorySegment req, TimedAttributes a) {
    Scratch s = scratch.get();
    layout.write(s.stat, a.attributes(), MAX_REQUEST_BYTES);
    Replies.attr(req, s.stat, Structs.seconds(a.timeout()));
  }

  public void setattr(MemorySegment req, long ino, MemorySegment attrPointer, int toSet, MemorySegment fi) {
    try {
      MemorySegment attr = attrPointer.reinterpret(layout.size);
      OpenFile file = LibFuse3.isNull(fi) ? null : openFiles.get(FileInfo.fh(FileInfo.of(fi)));
      if ((toSet & (SET_UID | SET_GID)) != 0) {
        TimedAttributes now = file != null ? file.getattr() : attributes(ino);
        boolean uidChanges = (toSet & SET_UID) != 0 && layout.uid(attr) != now.attributes().uid();
        boolean gidChanges = (toSet & SET_GID) != 0 && layout.gid(attr) != now.attributes().gid();
        if (uidChanges || gidChanges) {
          fs.chown(ino, uidChanges ? OptionalInt.of(layout.uid(attr)) : OptionalInt.empty(),
              gidChanges ? OptionalInt.of(layout.gid(attr)) : OptionalInt.empty());
        }
      }
      if ((toSet & SET_MODE) != 0) {
        fs.chmod(ino, layout.mode(attr) & 07777);
      }
      if ((toSet & SET_SIZE) != 0) {
        if (file != null) {
          file.truncate(layout.fileSize(attr));
        } else {
          fs.truncate(ino, layout.fileSize(attr));
        }
      }
      if ((toSet & (SET_ATIME | SET_MTIME)) != 0) {
        java.time.Instant now = java.time.Instant.now();
        var atime = (toSet & SET_ATIME) == 0 ? java.util.Optional.<java.time.Instant>empty()
            : java.util.Optional.of((toSet & SET_ATIME_NOW) != 0 ? now : layout.atime(attr));
        var mtime = (toSet & SET_MTIME) == 0 ? java.util.Optional.<java.time.Instant>empty()
            : java.util.Optional.of((toSet & SET_MTIME_NOW) != 0 ? now : layout.mtime(attr));
        fs.setTimes(ino, atime, mtime);
      }
      replyAttr(req, file != null ? file.getattr() : attributes(ino));
    } catch (Throwable e) {
      fail(req, "setattr", ino, null, e);
    }
  }

  public void readlink(MemorySegment req, long ino) {
    try {
      String target = fs.readlink(ino);
      Replies.readlink(req, scratch.get().cString(target));
    } catch (Throwable e) {
      fail(req, "readlink", ino, null, e);
    }
  }

  // ---- files ----

  public void open(MemorySegment req, long ino, MemorySegment fiPointer) {
    firstRequest();
    try {
      MemorySegment fi = FileInfo.of(fiPointer);
      OpenFlags flags = LinuxOpenFlags.decode(FileInfo.flags(fi));
      replyOpen(req, ino, fs.open(ino, flags), flags, fi, null);
    } catch (Throwable e) {
      fail(req, "open", ino, null, e);
    }
  }

  /** Registers {@code file}, fills {@code fi} and replies (with the entry too for create). */
  void replyOpen(MemorySegment req, long ino, OpenFile file, OpenFlags flags, MemorySegment fi, Entry created) throws java.io.IOException {
    long handle = openFiles.add(file);
    handlesByInode.add(ino, handle);
    FileInfo.setFh(fi, handle);
    FileInfo.setPageCache(fi, flags.direct() ? PageCache.BYPASS : file.pageCache());
    int result;
    if (created == null) {
      result = Replies.open(req, fi);
    } else {
      Scratch s = scratch.get();
      EntryParam.write(s.entry, layout, created.attributes(), MAX_REQUEST_BYTES, created.entryTimeout(), created.attrTimeout());
      lookups.add(created.ino());
      result = Replies.create(req, s.entry, fi);
      if (result != 0) {
        lookups.undo(created.ino());
      }
    }
    if (result != 0) {
      // The opener is gone (interrupted): nobody will release this handle.
      openFiles.remove(handle);
      handlesByInode.remove(ino, handle);
      file.release();
    }
  }

  public void read(MemorySegment req, long ino, long size, long offset, MemorySegment fi) {
    firstRequest();
    try {
      OpenFile file = handle(fi);
      if (SPLICE_READS) {
        Optional<FileRegion> region = file.region(offset, (int) size);
        if (region.isPresent()) {
          try (FileRegion r = region.get()) {
            MemorySegment v = scratch.get().bufvec;
            BufVec.writeFile(v, r.descriptor(), r.position(), r.length());
            Replies.data(req, v);
          }
          return;
        }
      }
      MemorySegment buf = scratch.get().data(size);
      int n = file.read(buf.asSlice(0, size).asByteBuffer(), offset);
      Replies.buffer(req, buf, n);
    } catch (Throwable e) {
      fail(req, "read", ino, null, e);
    }
  }

  public void release(MemorySegment req, long ino, MemorySegment fi) {
    try {
      long fh = FileInfo.fh(FileInfo.of(fi));
      OpenFile file = openFiles.remove(fh);
      if (file == null) {
        throw new ErrnoException(Errno.EBADF, "no open file with handle " + fh);
      }
      handlesByInode.remove(ino, fh);
      file.release();
      Replies.error(req, 0);
    } catch (Throwable e) {
      fail(req, "release", ino, null, e);
    }
  }

  OpenFile handle(MemorySegment fiPointer) throws ErrnoException {
    long fh = FileInfo.fh(FileInfo.of(fiPointer));
    OpenFile file = openFiles.get(fh);
    if (file == null) {
      throw new ErrnoException(Errno.EBADF, "no open file with handle " + fh);
    }
    return file;
  }

  // ---- directories ----

  public void opendir(MemorySegment req, long ino, MemorySegment fi) {
    firstRequest();
    try {
      FileInfo.setFh(FileInfo.of(fi), 0);
      Replies.open(req, fi);
    } catch (Throwable e) {
      fail(req, "opendir", ino, null, e);
    }
  }

  public void releasedir(MemorySegment req, long ino, MemorySegment fi) {
    Replies.error(req, 0);
  }

  public void fsyncdir(MemorySegment req, long ino, int dataSync, MemorySegment fi) {
    Replies.error(req, 0);
  }

  public void readdir(MemorySegment req, long ino, long size, long offset, MemorySegment fi) {
    list(req, ino, size, offset, false);
  }

  public void readdirplus(MemorySegment req, long ino, long size, long offset, MemorySegment fi) {
    list(req, ino, size, offset, true);
  }

  private void list(MemorySegment req, long dir, long size, long offset, boolean plus) {
    Listing listing = null;
    try {
      listing = new Listing(req, dir, scratch.get(), size, plus);
      if (offset < 1 && !listing.add(".", dir, NodeType.DIRECTORY, 1, null)) {
        listing.send();
        return;
      }
      if (offset < DOT_ENTRIES && !listing.add("..", dir, NodeType.DIRECTORY, DOT_ENTRIES, null)) {
        listing.send();
        return;
      }
      Listing l = listing;
      fs.readdir(dir, Math.max(0, offset - DOT_ENTRIES), (DirEntry e) -> l.add(e));
      listing.send();
    } catch (Throwable e) {
      if (listing != null) {
        listing.abandon();
      }
      fail(req, plus ? "readdirplus" : "readdir", dir, null, e);
    }
  }

  /** One reply buffer of directory entries being filled. */
  private final class Listing {
    private final MemorySegment req;
    private final long dir;
    private final Scratch s;
    private final MemorySegment buf;
    private final long size;
    private final boolean plus;
    private final java.util.ArrayList<Long> counted = new java.util.ArrayList<>();
    private long used;

    Listing(MemorySegment req, long dir, Scratch s, long size, boolean plus) {
      this.req = req;
      this.dir = dir;
      this.s = s;
      this.size = size;
      this.plus = plus;
      this.buf = s.data(size);
    }

    boolean add(DirEntry e) {
      Entry entry = null;
      if (plus) {
        try {
          entry = fs.lookup(dir, e.name()) instanceof Entry found ? found : null;
        } catch (java.io.IOException | RuntimeException failure) {
          // The name is still listed; the kernel looks it up itself and sees the error then.
          LOG.debug("readdirplus: lookup of {} in inode {} failed: {}", e.name(), dir, failure.toString());
        }
      }
      return add(e.name(), e.ino(), e.type(), e.nextOffset() + DOT_ENTRIES, entry);
    }

    boolean add(String name, long ino, NodeType type, long nextOffset, Entry entry) {
      MemorySegment cName = s.cString(name);
      MemorySegment at = MemorySegment.ofAddress(buf.address() + used);
      long room = size - used;
      long needed;
      if (plus) {
        if (entry != null) {
          EntryParam.write(s.entry, layout, entry.attributes(), MAX_REQUEST_BYTES, entry.entryTimeout(), entry.attrTimeout());
        } else {
          EntryParam.writeNone(s.entry, layout, ino, type.modeBits(), Duration.ZERO);
        }
        needed = Replies.addDirEntryPlus(req, at, room, cName, s.entry, nextOffset);
      } else {
        layout.writeIdentity(s.stat, ino, type.modeBits());
        needed = Replies.addDirEntry(req, at, room, cName, s.stat, nextOffset);
      }
      if (needed > room) {
        return false;
      }
      used += needed;
      if (entry != null) {
        lookups.add(entry.ino());
        counted.add(entry.ino());
      }
      return true;
    }

    void send() {
      if (Replies.buffer(req, buf, used) != 0) {
        abandon();
      }
    }

    void abandon() {
      counted.forEach(lookups::undo);
      counted.clear();
    }
  }

  // ---- whole filesystem ----

  public void statfs(MemorySegment req, long ino) {
    firstRequest();
    try {
      Scratch s = scratch.get();
      Structs.Statvfs.write(s.statvfs, fs.statfs());
      Replies.statfs(req, s.statvfs);
    } catch (Throwable e) {
      fail(req, "statfs", ino, null, e);
    }
  }

  public void getxattr(MemorySegment req, long ino, MemorySegment namePointer, long size) {
    try {
      replyXattr(req, fs.getxattr(ino, string(namePointer)), size);
    } catch (Throwable e) {
      fail(req, "getxattr", ino, null, e);
    }
  }

  public void listxattr(MemorySegment req, long ino, long size) {
    try {
      List<String> names = fs.listxattr(ino);
      StringBuilder joined = new StringBuilder();
      for (String name : names) {
        joined.append(name).append('\0');
      }
      replyXattr(req, joined.toString().getBytes(StandardCharsets.UTF_8), size);
    } catch (Throwable e) {
      fail(req, "listxattr", ino, null, e);
    }
  }

  /** getxattr/listxattr convention: size 0 asks for the length; a short buffer is ERANGE. */
  private void replyXattr(MemorySegment req, byte[] value, long size) throws ErrnoException {
    if (size == 0) {
      Replies.xattrSize(req, value.length);
      return;
    }
    if (size < value.length) {
      throw new ErrnoException(Errno.ERANGE, "buffer of " + size + " bytes is too small for " + value.length);
    }
    MemorySegment buf = scratch.get().data(value.length);
    MemorySegment.copy(value, 0, buf, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, value.length);
    Replies.buffer(req, buf, value.length);
  }

  // ---- shared ----

  /** True when the filesystem implements {@code method} rather than inheriting the interface's default. */
  boolean filesystemOverrides(String method, Class<?>... parameters) {
    try {
      return fs.getClass().getMethod(method, parameters).getDeclaringClass() != FileSystem.class;
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException("FileSystem has no method " + method, e);
    }
  }

  Scratch scratch() {
    return scratch.get();
  }

  StatLayout layout() {
    return layout;
  }

  static String string(MemorySegment cString) {
    return cString.reinterpret(Long.MAX_VALUE).getString(0, StandardCharsets.UTF_8);
  }

  /** Answers a failed request with its errno; never throws, so nothing crosses back into libfuse. */
  static void fail(MemorySegment req, String operation, long ino, String name, Throwable e) {
    int errno;
    try {
      errno = -ErrorReplies.reply(operation, name == null ? "inode " + ino : "inode " + ino + " name '" + name + "'", e);
    } catch (Throwable logging) {
      errno = Errno.EIO;
    }
    try {
      Replies.error(req, errno);
    } catch (Throwable replyFailure) {
      LOG.error("{}: could not send errno {} to the kernel: {}", operation, errno, replyFailure.toString());
    }
  }
}
