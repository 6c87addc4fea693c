package org.keepfs.client.fuse.lowlevel;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.keepfs.client.fs.KernelCache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link KernelCache} over {@code fuse_lowlevel_notify_inval_inode}/{@code _entry}. libfuse forbids
 * these calls in the path of a related request (the kernel may hold the inode's lock and wait for
 * that request: a deadlock), so they run on a thread of their own, in the order they were asked.
 * An errno of ENOENT only means the kernel had nothing cached.
 */
final class Invalidations implements KernelCache {
  private static final Logger LOG = LoggerFactory.getLogger(Invalidations.class);

  /** Runs a notification with the live session, or not at all once it is gone. */
  interface SessionUse {
    void withSession(java.util.function.Function<MemorySegment, Integer> call, Supplier<String> what);
  }

  private final SessionUse session;
  private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "keepfs-fuse-invalidations");
    t.setDaemon(true);
    return t;
  });

  Invalidations(SessionUse session) {
    this.session = session;
  }

  @Override
  public void invalidateInode(long ino) {
    submit(() -> session.withSession(se -> {
      try {
        return (int) LibFuse3.NOTIFY_INVAL_INODE.invokeExact(se, ino, 0L, 0L);
      } catch (Throwable t) {
        throw new IllegalStateException(t);
      }
    }, () -> "inode " + ino));
  }

  @Override
  public void invalidateEntry(long parent, String name) {
    submit(() -> session.withSession(se -> {
      byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
      try (var arena = java.lang.foreign.Arena.ofConfined()) {
        return (int) LibFuse3.NOTIFY_INVAL_ENTRY.invokeExact(se, parent, arena.allocateFrom(name), (long) bytes.length);
      } catch (Throwable t) {
        throw new IllegalStateException(t);
      }
    }, () -> "name '" + name + "' in inode " + parent));
  }

  private void submit(Runnable task) {
    try {
      worker.execute(() -> {
        try {
          task.run();
        } catch (RuntimeException e) {
          LOG.warn("kernel cache invalidation failed: {}", e.toString());
        }
      });
    } catch (RejectedExecutionException e) {
      LOG.debug("kernel cache invalidation after the mount ended is dropped");
    }
  }

  void shutdown() {
    worker.shutdown();
  }

  static void log(int result, String what) {
    if (result != 0) {
      LOG.debug("invalidating {}: errno {} (ENOENT: nothing was cached)", what, -result);
    }
  }
}
