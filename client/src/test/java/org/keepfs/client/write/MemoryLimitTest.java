package org.keepfs.client.write;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keepfs.client.write.block.BlockBytes;
import org.keepfs.client.write.block.BlockUploader;
import org.keepfs.client.write.block.BufferBlock;
import org.keepfs.client.write.block.MemoryBlockStore;
import org.keepfs.locator.Locator;

/** The memory limit and the bounded upload queue. */
class MemoryLimitTest {
  @TempDir Path spool;

  @Test
  void aFileLargerThanTheLimitWaitsForUploadsInsteadOfSpilling() throws IOException {
    long limit = 8L << 20;
    try (WriterFixture w = new WriterFixture(spool, limit, null, null)) {
      WritableCollection c = WritableCollection.empty(w.ctx);
      byte[] chunk = new byte[1 << 20];
      Random random = new Random(1);
      ByteBuffer expected = ByteBuffer.allocate(100 << 20);
      try (FileHandle h = c.open("big", WriterFixture.WRITE, true)) {
        for (int i = 0; i < 100; i++) {
          random.nextBytes(chunk);
          expected.put(chunk);
          h.write(ByteBuffer.wrap(chunk), (long) i << 20);
          assertTrue(w.budget.used() <= limit, "buffers hold " + w.budget.used() + " bytes, over the limit " + limit);
          assertTrue(w.budget.held() <= limit, "the budget took " + w.budget.held() + " bytes, over the limit " + limit);
        }
        assertEquals(List.of(), spooled(), "uploads in flight free memory: nothing goes through the spool");
      }
      assertTrue(w.budget.peak() > limit / 2, "the buffers used the memory: peak " + w.budget.peak());
      WriterFixture.manifest(c);
      assertArrayEquals(expected.array(), WriterFixture.readAll(c, "big"));
      assertEquals(100L << 20, w.store.bytesPut());
    }
  }

  @Test
  void buffersSpillToTheSpoolWhenNoUploadWouldFreeMemory() throws IOException {
    long limit = 16L << 20;
    try (WriterFixture w = new WriterFixture(spool, limit, null, null)) {
      WritableCollection c = WritableCollection.empty(w.ctx);
      // Forty open files with 1 MiB each: their buffers are still filling, so nothing is uploading.
      List<FileHandle> open = new ArrayList<>();
      byte[][] contents = new byte[40][];
      Random random = new Random(2);
      for (int i = 0; i < contents.length; i++) {
        contents[i] = new byte[1 << 20];
        random.nextBytes(contents[i]);
        FileHandle h = c.open("f" + i, WriterFixture.WRITE, true);
        open.add(h);
        h.write(ByteBuffer.wrap(contents[i]), 0);
        assertTrue(w.budget.used() <= limit, "buffers hold " + w.budget.used() + " bytes, over the limit " + limit);
      }
      assertTrue(spooled().size() >= contents.length - 16, "files past the limit spill: " + spooled());
      for (FileHandle h : open) {
        h.close();
      }
      WriterFixture.manifest(c);
      for (int i = 0; i < contents.length; i++) {
        assertArrayEquals(contents[i], WriterFixture.readAll(c, "f" + i), "f" + i);
      }
    }
  }

  private List<Path> spooled() throws IOException {
    try (var files = Files.list(spool.resolve("buffers"))) {
      return files.toList();
    }
  }

  @Test
  void aWriterWaitsWhenTheUploadQueueIsFull() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger started = new AtomicInteger();
    MemoryBlockStore store = new MemoryBlockStore();
    BlockUploader slow = new BlockUploader() {
      @Override
      public Locator put(Locator unsigned, BlockBytes data) throws IOException {
        started.incrementAndGet();
        try {
          release.await();
        } catch (InterruptedException e) {
          throw new IOException(e);
        }
        return store.put(unsigned, data);
      }
    };
    try (WriterFixture w = new WriterFixture(spool, 1L << 30, slow, store)) {
      BufferBlock[] blocks = new BufferBlock[5];
      for (int i = 0; i < blocks.length; i++) {
        blocks[i] = w.allocator.allocate();
        blocks[i].append(ByteBuffer.wrap(new byte[] {(byte) i}));
      }
      AtomicInteger queued = new AtomicInteger();
      Thread writer = Thread.ofPlatform().start(() -> {
        try {
          for (BufferBlock b : blocks) {
            w.pipeline.submit(b);
            queued.incrementAndGet();
          }
        } catch (IOException e) {
          throw new RuntimeException(e);
        }
      });
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!(queued.get() == 4 && writer.getState() == Thread.State.WAITING) && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertEquals(4, queued.get(), "four places in the queue (the fixture's bound)");
      assertEquals(Thread.State.WAITING, writer.getState(), "the fifth block waits for a place");
      release.countDown();
      writer.join(TimeUnit.SECONDS.toMillis(30));
      assertFalse(writer.isAlive());
      for (BufferBlock b : blocks) {
        assertEquals(1, b.awaitUploaded().size());
      }
      assertEquals(5, started.get());
    }
  }
}
