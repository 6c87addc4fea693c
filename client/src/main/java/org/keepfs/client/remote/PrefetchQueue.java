package org.keepfs.client.remote;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Warms the caches with replies a reader is about to ask for: a fixed set of workers takes paths from
 * a bounded queue. A listing of tens of thousands of names therefore costs a queue of names, not a
 * thread per name; paths that do not fit are dropped, since a prefetch is only a hint and the request
 * that needs a reply fetches it itself.
 *
 * <p>A reader that wants a path still in the queue {@linkplain #awaitOrClaim claims} it and fetches it
 * at once instead of waiting its turn; one whose path a worker is already fetching waits for that fetch
 * rather than sending the same request a second time.
 */
final class PrefetchQueue implements AutoCloseable {
  /** Paths waiting beyond this are not prefetched. */
  static final int QUEUE_LIMIT = 4096;

  /** A queued path: whoever sets {@code taken} first (a worker or a claiming reader) owns it. */
  private record Pending(AtomicBoolean taken, CompletableFuture<Void> done) {
    Pending() {
      this(new AtomicBoolean(), new CompletableFuture<>());
    }
  }

  private final BlockingQueue<String> queue = new ArrayBlockingQueue<>(QUEUE_LIMIT);
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private final Thread[] workers;
  private volatile boolean closed;

  /** Starts {@code parallel} workers that call {@code fetch} for each offered path. */
  PrefetchQueue(String name, int parallel, Fetch fetch) {
    workers = new Thread[parallel];
    for (int i = 0; i < parallel; i++) {
      workers[i] = Thread.ofVirtual().name(name + "-" + i).start(() -> work(fetch));
    }
  }

  /** One prefetch; failures are the later request's to report. */
  @FunctionalInterface
  interface Fetch {
    void fetch(String path) throws IOException;
  }

  /** Queues {@code path} if there is room and it is not queued already; returns whether it is queued now. */
  boolean offer(String path) {
    if (closed) {
      return false;
    }
    Pending p = new Pending();
    if (pending.putIfAbsent(path, p) != null) {
      return true;
    }
    if (!queue.offer(path)) {
      pending.remove(path, p);
      return false;
    }
    return true;
  }

  /**
   * Called by a reader before it asks for {@code path} itself: takes the path out of the queue if no
   * worker started on it, or waits for the worker that did (its reply is then in the caches).
   */
  void awaitOrClaim(String path) throws InterruptedException {
    Pending p = pending.get(path);
    if (p == null) {
      return;
    }
    if (p.taken().compareAndSet(false, true)) {
      pending.remove(path, p);
      return;
    }
    try {
      p.done().get();
    } catch (java.util.concurrent.ExecutionException e) {
      // Never completed exceptionally; the reader's own request reports any error.
    }
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
      Pending p = pending.get(path);
      if (p == null || !p.taken().compareAndSet(false, true)) {
        continue;
      }
      try {
        fetch.fetch(path);
      } catch (IOException | RuntimeException ignored) {
        // Only a cache warm-up: the request that needs this reply reports any error.
      } finally {
        pending.remove(path, p);
        p.done().complete(null);
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
    pending.values().forEach(p -> p.done().complete(null));
    pending.clear();
  }
}
