package org.keepfs.client.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many threads and two instances (as two processes would) on one directory, with constant eviction. */
class BlockCacheConcurrencyTest {
  @TempDir Path root;

  @Test
  void everyHitServesTheRightBytesWhileEntriesComeAndGo() throws Exception {
    int blocks = 40;
    byte[][] data = new byte[blocks][];
    PieceKey[] keys = new PieceKey[blocks];
    for (int i = 0; i < blocks; i++) {
      data[i] = BlockCacheTest.random(20_000 + i * 97, 1000 + i);
      keys[i] = PieceKey.wholeBlock(BlockCacheTest.locatorOf(data[i]));
    }
    // Room for about a third of the blocks, so inserts keep evicting what others read.
    long capacity = 15L * (20_000 + 40 * 97 + BlockCache.TRAILER_BYTES);
    BlockCache a = BlockCache.open(CacheOptions.of(root, capacity).withFsync(false));
    BlockCache b = BlockCache.open(CacheOptions.of(root, capacity).withFsync(false));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<Integer>> results = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      BlockCache cache = t % 2 == 0 ? a : b;
      long seed = t;
      results.add(pool.submit(() -> {
        Random random = new Random(seed);
        int hits = 0;
        for (int op = 0; op < 400; op++) {
          int i = random.nextInt(blocks);
          Optional<CachedPiece> piece = cache.open(keys[i]);
          if (piece.isEmpty()) {
            cache.insert(keys[i], ByteBuffer.wrap(data[i]), keys[i].hash());
            continue;
          }
          try (CachedPiece p = piece.get()) {
            ByteBuffer dst = ByteBuffer.allocate(data[i].length);
            assertEquals(data[i].length, p.read(dst, 0));
            assertArrayEquals(data[i], dst.array(), "bytes of block " + i);
            hits++;
          }
        }
        return hits;
      }));
    }
    int hits = 0;
    for (Future<Integer> f : results) {
      hits += f.get();
    }
    pool.shutdown();
    assertTrue(hits > 0, "some reads were hits");
    assertEquals(0, a.stats().corruptDropped() + b.stats().corruptDropped(), "no reader ever saw a partial file");
    assertTrue(a.stats().evictions() + b.stats().evictions() > 0, "the bound forced evictions");
    a.rescan();
    assertTrue(a.stats().bytes() <= capacity, "after a rescan and no further inserts the directory is within the bound: "
        + a.stats().bytes());
  }
}
