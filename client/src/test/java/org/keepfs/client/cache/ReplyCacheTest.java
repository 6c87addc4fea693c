package org.keepfs.client.cache;

import org.keepfs.client.testing.MutableClock;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplyCacheTest {
  @TempDir Path root;
  // Starts at the wall clock: a rescan orders entries by file modification times, which are wall-clock.
  private final MutableClock clock = new MutableClock(Instant.now());

  private ReplyCache open(long capacity) throws IOException {
    return ReplyCache.open(CacheOptions.of(root, capacity).withClock(clock));
  }

  static StoredReply reply(String url, String body) {
    return new StoredReply(url, 200,
        Map.of("fs123-errno", "0", "ETag", "\"v1\"", "Cache-Control", "max-age=60,stale-while-revalidate=30",
            "fs123-estalecookie", "12345", "fs123-nextoffset", "7", "Date", "dropped", "Server", "dropped"),
        body.getBytes(StandardCharsets.UTF_8), Instant.parse("2026-11-23T11:59:00Z"), Duration.ofSeconds(3),
        new CacheLifetimes(Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ZERO));
  }

  private List<Path> files() throws IOException {
    try (Stream<Path> s = Files.walk(root.resolve("replies"))) {
      return s.filter(Files::isRegularFile).toList();
    }
  }

  @Test
  void aReplyComesBackWithTheHeadersThatMatterAndNothingElse() throws IOException {
    ReplyCache cache = open(1 << 20);
    StoredReply r = reply("http://gw/fs123/7/2/a/dir/file?128;0", "attributes");
    assertTrue(cache.put(r));
    StoredReply back = cache.get(r.url()).orElseThrow();
    assertEquals(r, back);
    assertEquals(Optional.of("\"v1\""), back.header("ETag"));
    assertEquals(Optional.of("7"), back.header("fs123-nextoffset"));
    assertEquals(Optional.empty(), back.header("Date"));
    assertEquals(5, back.headers().size());
    assertEquals(Instant.parse("2026-11-23T11:59:57Z"), back.expires(), "fetched + max-age - Age");
    assertTrue(cache.get("http://gw/other").isEmpty());
    assertEquals(1, cache.stats().hits());
    assertEquals(1, cache.stats().misses());
  }

  @Test
  void aPutReplacesTheReplyForItsUrl() throws IOException {
    ReplyCache cache = open(1 << 20);
    String url = "http://gw/collections/x";
    cache.put(reply(url, "first"));
    StoredReply second = reply(url, "second").refreshed(Instant.parse("2026-11-23T12:00:00Z"), Duration.ZERO, CacheLifetimes.NONE);
    cache.put(second);
    assertEquals(second, cache.get(url).orElseThrow());
    assertEquals(1, files().size());
    assertEquals(1, cache.stats().entries());
  }

  @Test
  void repliesSurviveARestart() throws IOException {
    ReplyCache first = open(1 << 20);
    for (int i = 0; i < 20; i++) {
      first.put(reply("http://gw/f/" + i, "body " + i));
    }
    ReplyCache second = open(1 << 20);
    assertEquals(20, second.stats().entries());
    for (int i = 0; i < 20; i++) {
      assertEquals("body " + i, new String(second.get("http://gw/f/" + i).orElseThrow().body(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void aTornFileIsDroppedAndReportedAsAMiss() throws IOException {
    ReplyCache cache = open(1 << 20);
    String url = "http://gw/torn";
    cache.put(reply(url, "x".repeat(1000)));
    Path file = files().getFirst();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(ch.size() - 100);
    }
    assertTrue(cache.get(url).isEmpty());
    assertFalse(Files.exists(file), "the torn file is removed");
    assertEquals(1, cache.stats().corruptDropped());
  }

  @Test
  void aFlippedByteAnywhereIsCaughtByTheChecksum() throws IOException {
    ReplyCache cache = open(1 << 20);
    String url = "http://gw/flipped";
    StoredReply r = reply(url, "y".repeat(300));
    for (int position : new int[] {0, 9, 60, 200, 400}) {
      cache.put(r);
      Path file = files().getFirst();
      byte[] bytes = Files.readAllBytes(file);
      bytes[Math.min(position, bytes.length - 1)] ^= 0x10;
      Files.write(file, bytes);
      assertTrue(cache.get(url).isEmpty(), "flipped byte at " + position);
    }
    assertEquals(5, cache.stats().corruptDropped());
  }

  @Test
  void garbageInTheDirectoryIsNeverServed() throws IOException {
    ReplyCache cache = open(1 << 20);
    String url = "http://gw/garbage";
    Path file = root.resolve("replies").resolve(ReplyCache.fileName(url).substring(0, 2)).resolve(ReplyCache.fileName(url));
    Files.createDirectories(file.getParent());
    Files.write(file, "not a reply at all".getBytes(StandardCharsets.US_ASCII));
    assertTrue(cache.get(url).isEmpty());
    assertFalse(Files.exists(file));
  }

  @Test
  void leastRecentlyUsedRepliesAreEvictedBeyondTheBound() throws IOException {
    long one = ReplyFileFormat.encode(reply("http://gw/0", "z".repeat(500))).remaining();
    ReplyCache cache = open(3 * one);
    for (int i = 0; i < 3; i++) {
      cache.put(reply("http://gw/" + i, "z".repeat(500)));
      clock.advance(Duration.ofMinutes(1));
    }
    assertTrue(cache.get("http://gw/0").isPresent());
    cache.put(reply("http://gw/3", "z".repeat(500)));
    assertTrue(cache.get("http://gw/0").isPresent());
    assertTrue(cache.get("http://gw/1").isEmpty(), "least recently used");
    assertEquals(1, cache.stats().evictions());
    assertEquals(0, cache.stats().thrashEvictions());
    assertEquals(3, files().size());
  }

  @Test
  void aReplyLargerThanTheCacheIsNotStored() throws IOException {
    ReplyCache cache = open(100);
    assertFalse(cache.put(reply("http://gw/big", "b".repeat(1000))));
    assertEquals(1, cache.stats().rejected());
    assertEquals(0, files().size());
  }

  @Test
  void badRepliesAreRejectedWithWhatWasWrong() {
    IllegalArgumentException status = assertThrows(IllegalArgumentException.class,
        () -> new StoredReply("http://gw/x", 42, Map.of(), new byte[0], Instant.EPOCH, Duration.ZERO, CacheLifetimes.NONE));
    assertTrue(status.getMessage().contains("42"), status.getMessage());
    IllegalArgumentException header = assertThrows(IllegalArgumentException.class,
        () -> new StoredReply("http://gw/x", 200, Map.of("ETag", "a\r\nb"), new byte[0], Instant.EPOCH, Duration.ZERO, CacheLifetimes.NONE));
    assertTrue(header.getMessage().contains("ETag"), header.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> new CacheLifetimes(Duration.ofSeconds(-5), Duration.ZERO, Duration.ZERO));
  }

  @Test
  void theBodyCannotBeChangedFromOutside() {
    byte[] body = {1, 2, 3};
    StoredReply r = new StoredReply("http://gw/x", 200, Map.of(), body, Instant.EPOCH, Duration.ZERO, CacheLifetimes.NONE);
    body[0] = 9;
    r.body()[1] = 9;
    assertArrayEquals(new byte[] {1, 2, 3}, r.body());
  }

  @Test
  void repliesEvictedSecondsAfterTheyWereWrittenCountAsThrashAndShowInTheStats() throws IOException {
    long one = ReplyFileFormat.encode(reply("http://gw/t0", "w".repeat(200))).remaining();
    ReplyCache cache = open(2 * one);
    for (int i = 0; i < 5; i++) {
      cache.put(reply("http://gw/t" + i, "w".repeat(200)));
      clock.advance(Duration.ofSeconds(2));
    }
    CacheStats s = cache.stats();
    assertEquals(3, s.evictions());
    assertEquals(3, s.thrashEvictions());
    String text = s.render("reply_cache");
    assertTrue(text.contains("reply_cache.thrash_evictions 3\n"), text);
    assertTrue(text.contains("reply_cache.entries 2\n"), text);
  }
}
