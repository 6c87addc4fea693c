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

class AttributePrefetchTest {
  @Test
  void aHugeListingQueuesAtMostTheLimitAndRunsAtMostTheWorkersAtOnce() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    Set<String> fetched = ConcurrentHashMap.newKeySet();
    try (AttributePrefetch p = new AttributePrefetch(4, path -> {
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
      assertTrue(queued <= AttributePrefetch.QUEUE_LIMIT + 4, "queued " + queued);
      assertTrue(queued >= AttributePrefetch.QUEUE_LIMIT, "queued " + queued);
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
    AttributePrefetch p = new AttributePrefetch(2, path -> calls.incrementAndGet());
    p.close();
    assertFalse(p.offer("/x"));
    Thread.sleep(50);
    assertEquals(0, calls.get());
  }

  @Test
  void aFailingFetchDoesNotStopTheWorkers() throws Exception {
    Set<String> done = ConcurrentHashMap.newKeySet();
    try (AttributePrefetch p = new AttributePrefetch(1, path -> {
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
}
