package org.keepfs.client.fuse;

import java.io.IOException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.keepfs.client.fs.OpenFile;

/**
 * The open handles of one mount, keyed by the number the kernel carries in {@code fi->fh}. Numbers
 * are never reused, so a stale number cannot reach another file: it is simply unknown (EBADF).
 */
public final class OpenFileTable {
  private final ConcurrentHashMap<Long, OpenFile> files = new ConcurrentHashMap<>();
  private final AtomicLong nextHandle = new AtomicLong(1);

  public long add(OpenFile file) {
    long handle = nextHandle.getAndIncrement();
    files.put(handle, file);
    return handle;
  }

  /** The file behind {@code handle}, or null when the handle is unknown. */
  public OpenFile get(long handle) {
    return files.get(handle);
  }

  public OpenFile remove(long handle) {
    return files.remove(handle);
  }

  public int size() {
    return files.size();
  }

  /**
   * Releases every file still open (the kernel did not release them before the unmount). Failures
   * are collected as suppressed exceptions of one IOException.
   */
  public void releaseAll() throws IOException {
    IOException failure = null;
    for (Long handle : files.keySet()) {
      OpenFile file = files.remove(handle);
      if (file == null) {
        continue;
      }
      try {
        file.release();
      } catch (IOException | RuntimeException e) {
        if (failure == null) {
          failure = new IOException("releasing files left open at unmount failed");
        }
        failure.addSuppressed(e);
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
