package org.keepfs.client.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PrefetchQueueTest {
  @Test
  void aHugeListingQueuesAtMostTheLimitAndRunsAtMostTheWorkersAtOnce() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    Set<String> fetched = ConcurrentHashMap.newKeySet();
    try (PrefetchQueue p = new PrefetchQueue("test", 4, path -> {
      peak.accumulateAndGet(running.incrementAndGet(), Math::max);
      try {
        release.await();
      } catch (InterruptedException e) {
        throw new IOException(e);
      } finally {
        running.decrementAndGet();
      }
      fetched.add(path);
    })) {
      int queued = 0;
      for (int i = 0; i < 20_000; i++) {
        if (p.offer("/d/f" + i)) {
          queued++;
        }
      }
      assertTrue(queued <= PrefetchQueue.QUEUE_LIMIT + 4, "queued " + queued);
      assertTrue(queued >= PrefetchQueue.QUEUE_LIMIT, "queued " + queued);
      release.countDown();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (fetched.size() < queued && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertEquals(queued, fetched.size());
      assertTrue(peak.get() <= 4, "peak " + peak.get());
    }
  }

  @Test
  void afterCloseNothingIsQueuedOrFetched() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    PrefetchQueue p = new PrefetchQueue("test", 2, path -> calls.incrementAndGet());
    p.close();
    assertFalse(p.offer("/x"));
    Thread.sleep(50);
    assertEquals(0, calls.get());
  }

  @Test
  void aFailingFetchDoesNotStopTheWorkers() throws Exception {
    Set<String> done = ConcurrentHashMap.newKeySet();
    try (PrefetchQueue p = new PrefetchQueue("test", 1, path -> {
      if (path.equals("/bad")) {
        throw new IOException("refused");
      }
      done.add(path);
    })) {
      assertTrue(p.offer("/bad"));
      assertTrue(p.offer("/good"));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!done.contains("/good") && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertTrue(done.contains("/good"));
    }
  }
  @Test
  void aPathOfferedTwiceIsQueuedOnce() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger calls = new AtomicInteger();
    try (PrefetchQueue p = new PrefetchQueue("test", 1, path -> {
      if (path.equals("/block")) {
        try {
          release.await();
        } catch (InterruptedException e) {
          throw new IOException(e);
        }
      } else {
        calls.incrementAndGet();
      }
    })) {
      assertTrue(p.offer("/block"));
      assertTrue(p.offer("/x"));
      assertTrue(p.offer("/x"));
      release.countDown();
      p.awaitOrClaim("/block");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (calls.get() < 1 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      Thread.sleep(50);
      assertEquals(1, calls.get());
    }
  }

  @Test
  void aReaderClaimsAPathNoWorkerStartedSoItIsNeverFetchedInTheBackground() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch firstStarted = new CountDownLatch(1);
    Set<String> fetched = ConcurrentHashMap.newKeySet();
    try (PrefetchQueue p = new PrefetchQueue("test", 1, path -> {
      firstStarted.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        throw new IOException(e);
      }
      fetched.add(path);
    })) {
      assertTrue(p.offer("/first"));
      assertTrue(p.offer("/second"));
      assertTrue(firstStarted.await(30, TimeUnit.SECONDS));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      // The only worker is busy with /first, so /second is still queued: the reader takes it over at once.
      p.awaitOrClaim("/second");
      release.countDown();
      p.awaitOrClaim("/first");
      assertTrue(fetched.contains("/first"), "a reader waits for the fetch a worker started");
      Thread.sleep(50);
      assertFalse(fetched.contains("/second"), "claimed by the reader, so no worker fetched it");
      assertTrue(System.nanoTime() < deadline);
    }
  }

  @Test
  void aReaderWaitingOnAFetchIsReleasedByClose() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    PrefetchQueue p = new PrefetchQueue("test", 1, path -> {
      started.countDown();
      try {
        new CountDownLatch(1).await();
      } catch (InterruptedException e) {
        throw new IOException(e);
      }
    });
    assertTrue(p.offer("/slow"));
    assertTrue(started.await(30, TimeUnit.SECONDS));
    Thread closer = Thread.ofVirtual().start(() -> {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        return;
      }
      p.close();
    });
    p.awaitOrClaim("/slow");
    closer.join();
  }
}
