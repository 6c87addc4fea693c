package org.keepfs.client.write;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.keepfs.client.fs.OpenFlags;
import org.keepfs.posix.Errno;
import org.keepfs.posix.ErrnoException;

/**
 * An open file of a {@link WritableCollection}. It keeps working after the file is renamed or
 * unlinked; an unlinked file's bytes are never committed. Positional reads and writes may come from
 * several threads.
 */
public final class FileHandle implements AutoCloseable {
  private final WritableCollection owner;
  private final FileNode node;
  private final OpenFlags flags;
  private volatile boolean closed;

  FileHandle(WritableCollection owner, FileNode node, OpenFlags flags) {
    this.owner = owner;
    this.node = node;
    this.flags = flags;
    node.opened();
  }

  /** Reads from {@code offset} until {@code dst} is full or the file ends; returns the count. */
  public int read(ByteBuffer dst, long offset) throws IOException {
    check(flags.access().reads(), "read");
    node.lock.readLock().lock();
    try {
      return node.content.read(dst, offset, owner.context());
    } finally {
      node.lock.readLock().unlock();
    }
  }

  /** Writes all of {@code src} at {@code offset} (at the end when opened with append); returns the count. */
  public int write(ByteBuffer src, long offset) throws IOException {
    check(flags.access().writes(), "write");
    if (offset < 0) {
      throw new ErrnoException(Errno.EINVAL, "negative write offset " + offset);
    }
    int n = src.remaining();
    node.lock.writeLock().lock();
    try {
      node.content.write(src, flags.append() ? node.content.size() : offset, owner.context());
      node.version++;
    } finally {
      node.lock.writeLock().unlock();
    }
    owner.changed(node);
    return n;
  }

  /** Sets the file's length through this handle (ftruncate). */
  public void truncate(long size) throws IOException {
    check(flags.access().writes(), "truncate");
    owner.truncate(node, size);
  }

  /** The file's current length. */
  public long size() {
    node.lock.readLock().lock();
    try {
      return node.content.size();
    } finally {
      node.lock.readLock().unlock();
    }
  }

  /** What stat says about the file through this handle (also after its name is gone). */
  public NodeInfo info() {
    node.lock.readLock().lock();
    try {
      return new NodeInfo(node.inode, false, node.content.size(), 0, node.mtime);
    } finally {
      node.lock.readLock().unlock();
    }
  }

  /** The file's inode number. */
  public long inode() {
    return node.inode;
  }

  /** Makes what was written through any handle durable (see {@link WritableCollection#fsync}). */
  public void fsync() throws IOException {
    check(true, "fsync");
    owner.fsync();
  }

  private void check(boolean allowed, String operation) throws ErrnoException {
    if (closed) {
      throw new ErrnoException(Errno.EBADF, operation + " on a closed handle");
    }
    if (!allowed) {
      throw new ErrnoException(Errno.EBADF, operation + ": the file was opened " + flags.access());
    }
  }

  /** The last close of the handle. */
  @Override
  public void close() throws IOException {
    if (!closed) {
      closed = true;
      node.closed();
    }
  }
}
