package org.keepfs.client.fuse.lowlevel;

import java.lang.foreign.MemorySegment;

/**
 * The {@code fuse_reply_*} calls. Each request gets exactly one of them. They return 0, or a
 * negative errno when the kernel no longer wants the answer (the request was interrupted), in which
 * case the caller undoes what the answer would have handed over (a lookup count, an open handle).
 * {@code invokeExact} declares Throwable but only signals a wrong call shape, a bug caught by the
 * first test, so it surfaces as an Error.
 */
final class Replies {
  private Replies() {}

  static int error(MemorySegment req, int errno) {
    try {
      return (int) LibFuse3.REPLY_ERR.invokeExact(req, errno);
    } catch (Throwable t) {
      throw bug(t);
    }
  }

  static void none(MemorySegment req) {
    try {
      LibFuse3.REPLY_NONE.invokeExact(req);
    } catch (Throwable t) {
      throw bug(t);
    }
  }

  static int entry(MemorySegment req, MemorySegment entryParam) {
    try {
      return (int) LibFuse3.REPLY_ENTRY.invokeExact(req, entryParam);
    } catch (Throwable t) {
      throw bug(t);
    }
  }

  static int create(MemorySegment req, MemorySegment entryParam, MemorySegment fileInfo) {
    try {
      return (int) LibFuse3.REPLY_CREATE.invokeExact(req, entryParam, fileInfo);
    } catch (Throwable t) {
      throw bug(t);
    }
  }

  static int attr(MemorySegment req, MemorySegment stat, double timeoutSeconds) {
    try {
      return (int) LibFuse3.REPLY_ATTR.invokeExact(req, stat, timeoutSeconds);
    } catch (Throwable t) {
      throw bug(t);
    }
  }

  static int readlink(MemorySegment req, MemorySegment target) {
    try {
      return (int) LibFuse3.REPLY_READLINK.invokeExact(req, target);
    } catch (Throwable t) {
      throw bug(t);
    }
  }

  static int open(MemorySegment req, MemorySegment fileInfo) {
    try {
      return (int) LibFuse3.REPLY_OPEN.invokeExact(req, fileInfo);
    } catch (Throwable t) {
      throw bug(t);
    }
  }

  static int write(MemorySegment req, long count) {
    try {
      return (int) LibFuse3.REPLY_WRITE.invokeExact(req, count);
    } catch (Throwable t) {
      throw bug(t);
    }
  }

  static int buffer(MemorySegment req, MemorySegment buf, long size) {
    try {
      return (int) LibFuse3.REPLY_BUF.invokeExact(req, buf, size);
    } catch (Throwable t) {
      throw bug(t);
    }
  }

  /**
   * Replies with the bytes a {@code fuse_bufvec} describes; libfuse splices a file descriptor's bytes
   * to the kernel when the session negotiated splice writes, and otherwise reads them into a buffer.
   */
  static int data(MemorySegment req, MemorySegment bufvec) {
    try {
      return (int) LibFuse3.REPLY_DATA.invokeExact(req, bufvec, 0);
    } catch (Throwable t) {
      throw bug(t);
    }
  }

  static int statfs(MemorySegment req, MemorySegment statvfs) {
    try {
      return (int) LibFuse3.REPLY_STATFS.invokeExact(req, statvfs);
    } catch (Throwable t) {
      throw bug(t);
    }
  }

  static int xattrSize(MemorySegment req, long size) {
    try {
      return (int) LibFuse3.REPLY_XATTR.invokeExact(req, size);
    } catch (Throwable t) {
      throw bug(t);
    }
  }

  /** Appends a plain directory entry; returns the bytes it needs (more than {@code room}: it did not fit). */
  static long addDirEntry(MemorySegment req, MemorySegment buf, long room, MemorySegment name, MemorySegment stat, long nextOffset) {
    try {
      return (long) LibFuse3.ADD_DIRENTRY.invokeExact(req, buf, room, name, stat, nextOffset);
    } catch (Throwable t) {
      throw bug(t);
    }
  }

  /** Appends a readdirplus entry; returns the bytes it needs (more than {@code room}: it did not fit). */
  static long addDirEntryPlus(MemorySegment req, MemorySegment buf, long room, MemorySegment name, MemorySegment entry, long nextOffset) {
    try {
      return (long) LibFuse3.ADD_DIRENTRY_PLUS.invokeExact(req, buf, room, name, entry, nextOffset);
    } catch (Throwable t) {
      throw bug(t);
    }
  }

  private static Error bug(Throwable t) {
    return t instanceof Error e ? e : new AssertionError("a libfuse downcall failed: " + t, t);
  }
}
