package org.keepfs.client.write;

import java.io.IOException;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.keepfs.client.write.block.BufferBlock;

/**
 * A regular file. Its content lock guards {@link FileContent} and the lifecycle counters; readers
 * share it, writers and truncation take it exclusively.
 */
final class FileNode extends TreeNode {
  final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  /** Guarded by {@link #lock}. */
  FileContent content;
  /** Changes to the content, so a commit can tell whether a file changed after it was captured. Guarded by {@link #lock}. */
  long version;
  private int openHandles;
  private boolean unlinked;

  FileNode(long inode, DirNode parent, String name, Instant mtime, FileContent content) {
    super(inode, parent, name, mtime);
    this.content = content;
  }

  void opened() {
    lock.writeLock().lock();
    try {
      openHandles++;
    } finally {
      lock.writeLock().unlock();
    }
  }

  void closed() throws IOException {
    lock.writeLock().lock();
    try {
      openHandles--;
      if (openHandles == 0 && unlinked) {
        freeBuffers();
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** The file lost its name; its bytes stay readable through open handles, and are freed at the last close. */
  void unlinked() throws IOException {
    lock.writeLock().lock();
    try {
      unlinked = true;
      if (openHandles == 0) {
        freeBuffers();
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  boolean isUnlinked() {
    lock.readLock().lock();
    try {
      return unlinked;
    } finally {
      lock.readLock().unlock();
    }
  }

  private void freeBuffers() throws IOException {
    for (BufferBlock b : content.buffers()) {
      if (b.state() == BufferBlock.State.WRITABLE) {
        b.discard();
      }
    }
    content.detachCurrent();
  }
}
