package org.keepfs.client.cache;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * A child process for the two-process test: inserts block {@code i} (20 000 bytes from seed i) for
 * i = 0, 1, ... forever and prints "stored i" after each insert returns, until it is killed.
 */
public final class BlockCacheWriter {
  private BlockCacheWriter() {}

  static byte[] block(int i) {
    return BlockCacheTest.random(20_000, 5000 + i);
  }

  public static void main(String[] args) throws Exception {
    BlockCache cache = BlockCache.open(CacheOptions.of(Path.of(args[0]), 1L << 30));
    for (int i = 0; ; i++) {
      byte[] b = block(i);
      PieceKey key = PieceKey.wholeBlock(BlockCacheTest.locatorOf(b));
      cache.insert(key, ByteBuffer.wrap(b), key.hash());
      System.out.println("stored " + i);
      System.out.flush();
    }
  }
}
