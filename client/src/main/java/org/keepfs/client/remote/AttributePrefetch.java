package org.keepfs.client.remote;

import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Warms the caches with the attributes of a listed directory's entries, for servers whose listings
 * carry none (plain fs123): a fixed set of workers takes paths from a bounded queue. A listing of tens
 * of thousands of names therefore costs a queue of names, not a thread per name; paths that do not fit
 * are dropped, since a prefetch is only a hint and the lookup that needs a reply fetches it itself.
 */
final class AttributePrefetch implements AutoCloseable {
  /** Paths waiting beyond this are not prefetched. */
  static final int QUEUE_LIMIT = 4096;

  private final BlockingQueue<String> queue = new ArrayBlockingQueue<>(QUEUE_LIMIT);
  private final Thread[] workers;
  private volatile boolean closed;

  /** Starts {@code parallel} workers that call {@code fetch} for each offered path. */
  AttributePrefetch(int parallel, Fetch fetch) {
    workers = new Thread[parallel];
    for (int i = 0; i < parallel; i++) {
      workers[i] = Thread.ofVirtual().name("attr-prefetch-" + i).start(() -> work(fetch));
    }
  }

  /** One prefetch; failures are the later lookup's to report. */
  @FunctionalInterface
  interface Fetch {
    void fetch(String path) throws IOException;
  }

  /** Queues {@code path} if there is room; returns whether it was queued. */
  boolean offer(String path) {
    return !closed && queue.offer(path);
  }

  private void work(Fetch fetch) {
    while (!closed) {
      String path;
      try {
        path = queue.poll(1, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (path == null) {
        continue;
      }
      try {
        fetch.fetch(path);
      } catch (IOException | RuntimeException ignored) {
        // Only a cache warm-up: the lookup that needs this reply reports any error.
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    queue.clear();
    for (Thread t : workers) {
      t.interrupt();
    }
  }
}
