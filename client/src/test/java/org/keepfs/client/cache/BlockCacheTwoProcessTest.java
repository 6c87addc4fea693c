package org.keepfs.client.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Another process writes blocks into the cache while this one reads them, then is killed with
 * SIGKILL mid-write; nothing it confirmed is lost and nothing torn is ever served.
 */
class BlockCacheTwoProcessTest {
  private static final int CONFIRMED_BEFORE_KILL = 200;

  @TempDir Path root;

  private static byte[] readAll(BlockCache cache, int i) throws Exception {
    byte[] expected = BlockCacheWriter.block(i);
    PieceKey key = PieceKey.wholeBlock(BlockCacheTest.locatorOf(expected));
    try (CachedPiece piece = cache.open(key).orElseThrow(() -> new AssertionError("block " + i + " is missing"))) {
      ByteBuffer dst = ByteBuffer.allocate(key.length());
      piece.read(dst, 0);
      return dst.array();
    }
  }

  @Test
  void blocksWrittenByAnotherProcessAreSharedAndSurviveItsKill() throws Exception {
    BlockCache reader = BlockCache.open(CacheOptions.of(root, 1L << 30));
    String java = ProcessHandle.current().info().command().orElseThrow();
    Process writer = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        BlockCacheWriter.class.getName(), root.toString())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    int confirmed = -1;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        confirmed = Integer.parseInt(line.substring("stored ".length()));
        if (confirmed % 20 == 0) {
          // Read while the other process keeps writing: found on this instance's miss path.
          assertArrayEquals(BlockCacheWriter.block(confirmed), readAll(reader, confirmed));
        }
        if (confirmed >= CONFIRMED_BEFORE_KILL) {
          break;
        }
      }
      writer.destroyForcibly();
      assertTrue(writer.waitFor(60, TimeUnit.SECONDS), "the killed writer exited");
    } finally {
      writer.destroyForcibly();
    }
    assertEquals(CONFIRMED_BEFORE_KILL, confirmed);
    assertTrue(reader.stats().hits() >= CONFIRMED_BEFORE_KILL / 20, "the live reads were hits");

    BlockCache restarted = BlockCache.open(CacheOptions.of(root, 1L << 30));
    for (int i = 0; i <= confirmed; i++) {
      assertArrayEquals(BlockCacheWriter.block(i), readAll(restarted, i));
    }
    assertEquals(0, restarted.stats().corruptDropped() + reader.stats().corruptDropped(), "no torn entry was ever visible");
    try (Stream<Path> tmp = Files.list(root.resolve("tmp"))) {
      assertEquals(0, tmp.count(), "the killed writer's temporary file was removed");
    }
  }
}
