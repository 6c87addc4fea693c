package org.keepfs.client.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A writer JVM is killed with SIGKILL in the middle of writing; a new instance finds every reply it confirmed. */
class ReplyCacheKillTest {
  private static final int CONFIRMED_BEFORE_KILL = 300;

  @TempDir Path root;

  @Test
  void everyConfirmedReplySurvivesKillMinus9AndNothingTornIsServed() throws Exception {
    String java = ProcessHandle.current().info().command().orElseThrow();
    Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        ReplyCacheWriter.class.getName(), root.toString())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    int lastConfirmed = -1;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        lastConfirmed = Integer.parseInt(line.substring("stored ".length()));
        if (lastConfirmed >= CONFIRMED_BEFORE_KILL) {
          break;
        }
      }
      // SIGKILL while the writer is still busy writing the next replies.
      child.destroyForcibly();
      assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the killed writer exited");
    } finally {
      child.destroyForcibly();
    }
    assertEquals(CONFIRMED_BEFORE_KILL, lastConfirmed, "the writer confirmed enough replies before the kill");

    ReplyCache cache = ReplyCache.open(CacheOptions.of(root, 1L << 30));
    for (int i = 0; i <= lastConfirmed; i++) {
      StoredReply r = cache.get(ReplyCacheWriter.url(i)).orElseThrow(() -> new AssertionError("a confirmed reply was lost"));
      assertArrayEquals(ReplyCacheWriter.body(i), r.body());
      assertEquals("\"" + i + "\"", r.header("etag").orElseThrow());
    }
    // Whatever else is on disk (replies written after the last confirmation) is whole or absent.
    int extra = 0;
    for (int i = lastConfirmed + 1; i < lastConfirmed + 10_000; i++) {
      var r = cache.get(ReplyCacheWriter.url(i));
      if (r.isEmpty()) {
        break;
      }
      assertArrayEquals(ReplyCacheWriter.body(i), r.get().body());
      extra++;
    }
    assertEquals(0, cache.stats().corruptDropped(), "renames are atomic: no torn file is ever visible");
    assertEquals(lastConfirmed + 1 + extra, cache.stats().hits());
    try (Stream<Path> tmp = Files.list(root.resolve("tmp"))) {
      assertEquals(0, tmp.count(), "the half-written temporary file of the dead writer was removed at open");
    }
  }
}
