package org.keepfs.client.mount;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keepfs.client.fs.OpenFile;
import org.keepfs.client.fs.OpenFlags;
import org.keepfs.client.http.HttpOptions;
import org.keepfs.fs123.CacheControl;
import org.keepfs.locator.Locator;
import org.keepfs.pieces.PieceDigests;
import org.keepfs.posix.Errno;

/**
 * Collection reads by 1 MiB piece, each checked against the gateway's piece digests: a random read
 * moves its piece, a sequential read returns the file, a wrong piece is refetched with no-cache and
 * then fails with EIO, and a gateway without digests still serves whole blocks.
 */
class PieceReadTest {
  static final int SIZE = 5 * PieceDigests.PIECE_SIZE + 7;

  @TempDir Path dir;
  TestGateway gateway;
  WireMockServer proxy;
  byte[] content;
  Locator block;
  String pdh;

  @BeforeEach
  void start() throws Exception {
    gateway = TestGateway.start(Files.createDirectories(dir.resolve("export")), Files.createDirectories(dir.resolve("data")), 0,
        CacheControl.maxAge(120));
    content = new byte[SIZE];
    new Random(5).nextBytes(content);
    block = gateway.putBlocks(content, Locator.MAX_BLOCK_SIZE).get(0);
    pdh = gateway.putCollection("c", ". " + block + " 0:" + SIZE + ":f\n");
    proxy = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    proxy.start();
    proxy.stubFor(get(anyUrl()).atPriority(10).willReturn(aResponse().proxiedFrom(gateway.uri().toString())));
  }

  @AfterEach
  void stop() throws Exception {
    proxy.stop();
    gateway.close();
  }

  ClientSetup client(URI url, String cache) throws Exception {
    HttpOptions http = HttpOptions.of(url).withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(1));
    return ClientSetup.open(new ClientConfig(http, dir.resolve(cache), 256L << 20, false, Duration.ofDays(10), "",
        Duration.ofSeconds(5)));
  }

  static long stat(String stats, String name) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\d+)$").matcher(stats);
    assertTrue(m.find(), name + " in " + stats);
    return Long.parseLong(m.group(1));
  }

  /**
   * The stats once no piece is in flight: a fetched piece goes to its reader before it is written to
   * the cache, so the cache's counters lag the read.
   */
  static String settled(ClientSetup c) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (stat(c.renderStats(), "pieces.in_flight") > 0) {
      assertTrue(System.nanoTime() < deadline, "pieces still in flight: " + c.renderStats());
      Thread.sleep(10);
    }
    return c.renderStats();
  }

  @Test
  void aRandomReadMovesItsPieceNotItsBlock() throws Exception {
    try (ClientSetup c = client(gateway.uri(), "cache")) {
      OpenFile f = c.fileSystem().open(FsPaths.ino(c.fileSystem(), "by_id/" + pdh + "/f"), OpenFlags.READ_ONLY);
      long offset = 3L * PieceDigests.PIECE_SIZE + 100;
      ByteBuffer b = ByteBuffer.allocate(128 << 10);
      assertEquals(b.capacity(), f.read(b, offset));
      assertArrayEquals(Arrays.copyOfRange(content, (int) offset, (int) offset + b.capacity()), b.array());
      f.release();
      String stats = settled(c);
      assertEquals(1, stat(stats, "pieces.fetched"), stats);
      assertEquals(PieceDigests.PIECE_SIZE, stat(stats, "block_cache.bytes_inserted"), stats);
    }
  }

  @Test
  void aSequentialReadReturnsTheFileFromVerifiedPieces() throws Exception {
    try (ClientSetup c = client(gateway.uri(), "cache")) {
      assertArrayEquals(content, FsPaths.read(c.fileSystem(), "by_id/" + pdh + "/f"));
      String stats = settled(c);
      assertEquals(6, stat(stats, "pieces.fetched"), stats);
      assertEquals(6, stat(stats, "block_cache.inserts"), stats);
      assertEquals(0, stat(stats, "pieces.bad"), stats);
    }
    try (ClientSetup c = client(gateway.uri(), "cache")) {
      assertArrayEquals(content, FsPaths.read(c.fileSystem(), "by_id/" + pdh + "/f"));
      assertEquals(0, stat(c.renderStats(), "pieces.fetched"), "a restart reads the cached pieces");
    }
  }

  @Test
  void manyReadersOfOnePieceAtOnceEachGetTheirOwnBytes() throws Exception {
    // A slow gateway keeps the piece in flight, so every reader waits on the same fetch.
    proxy.stubFor(get(urlEqualTo("/keep/" + block + "/1")).atPriority(1)
        .willReturn(aResponse().proxiedFrom(gateway.uri().toString()).withFixedDelay(300)));
    try (ClientSetup c = client(URI.create(proxy.baseUrl()), "cache")) {
      int readers = 16;
      java.util.List<java.util.concurrent.Future<byte[]>> results = new java.util.ArrayList<>();
      java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
      try (var pool = java.util.concurrent.Executors.newFixedThreadPool(readers)) {
        for (int i = 0; i < readers; i++) {
          long offset = PieceDigests.PIECE_SIZE + i * 40_000L;
          results.add(pool.submit(() -> {
            start.await();
            ByteBuffer b = ByteBuffer.allocate(200_000);
            while (b.hasRemaining()) {
              int n = c.blocks().read(block, offset + b.position(), b);
              assertTrue(n > 0, "a read inside the block returned " + n);
            }
            return b.array();
          }));
        }
        start.countDown();
        for (int i = 0; i < readers; i++) {
          int offset = PieceDigests.PIECE_SIZE + i * 40_000;
          assertArrayEquals(Arrays.copyOfRange(content, offset, offset + 200_000), results.get(i).get(), "reader " + i);
        }
      }
    }
  }

  @Test
  void readsOfOneOpenFileFromManyThreadsAcrossPiecesAllSucceed() throws Exception {
    try (ClientSetup c = client(gateway.uri(), "cache")) {
      OpenFile f = c.fileSystem().open(FsPaths.ino(c.fileSystem(), "by_id/" + pdh + "/f"), OpenFlags.READ_ONLY);
      java.util.List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
      try (var pool = java.util.concurrent.Executors.newFixedThreadPool(6)) {
        for (int t = 0; t < 6; t++) {
          long seed = t;
          done.add(pool.submit(() -> {
            Random r = new Random(seed);
            for (int i = 0; i < 200; i++) {
              int offset = r.nextInt(SIZE - 1);
              ByteBuffer b = ByteBuffer.allocate(Math.min(64 << 10, SIZE - offset));
              while (b.hasRemaining()) {
                int n = f.read(b, offset + b.position());
                assertTrue(n > 0, "a read inside the file returned " + n);
              }
              assertArrayEquals(Arrays.copyOfRange(content, offset, offset + b.capacity()), b.array(), "at " + offset);
            }
            return null;
          }));
        }
        for (var d : done) {
          d.get();
        }
      }
      f.release();
    }
  }

  @Test
  void aWrongPieceIsRefetchedWithNoCacheThenEioAndNeverReturned() throws Exception {
    byte[] bad = Arrays.copyOfRange(content, 2 * PieceDigests.PIECE_SIZE, 3 * PieceDigests.PIECE_SIZE);
    bad[17] ^= 1;
    String piece2 = "/keep/" + block + "/2";
    proxy.stubFor(get(urlEqualTo(piece2)).atPriority(1).willReturn(aResponse().withStatus(200).withBody(bad)));
    try (ClientSetup c = client(URI.create(proxy.baseUrl()), "cache")) {
      OpenFile f = c.fileSystem().open(FsPaths.ino(c.fileSystem(), "by_id/" + pdh + "/f"), OpenFlags.READ_ONLY);
      ByteBuffer one = ByteBuffer.allocate(4096);
      f.read(one, PieceDigests.PIECE_SIZE + 5);
      assertArrayEquals(Arrays.copyOfRange(content, PieceDigests.PIECE_SIZE + 5, PieceDigests.PIECE_SIZE + 5 + 4096), one.array());
      IOException e = assertThrows(IOException.class, () -> f.read(ByteBuffer.allocate(4096), 2L * PieceDigests.PIECE_SIZE + 5));
      assertEquals(Errno.EIO, Errno.of(e));
      assertTrue(e.getMessage().contains("wrong twice"), e.getMessage());
      assertEquals(1, stat(settled(c), "block_cache.inserts"), "only the good piece is cached");
      f.release();
    }
    proxy.verify(2, getRequestedFor(urlEqualTo(piece2)));
    proxy.verify(1, getRequestedFor(urlEqualTo(piece2)).withHeader("Cache-Control", containing("no-cache")));
    proxy.verify(1, getRequestedFor(urlEqualTo("/keep/" + block + PieceDigests.URL_SUFFIX))
        .withHeader("Cache-Control", containing("no-cache")));
  }

  @Test
  void aGatewayWithoutPieceDigestsStillServesWholeBlocks() throws Exception {
    proxy.stubFor(get(urlEqualTo("/keep/" + block + PieceDigests.URL_SUFFIX)).atPriority(1)
        .willReturn(aResponse().withStatus(400).withBody("'pieces' after the locator is not a piece number")));
    try (ClientSetup c = client(URI.create(proxy.baseUrl()), "cache")) {
      assertArrayEquals(content, FsPaths.read(c.fileSystem(), "by_id/" + pdh + "/f"));
      String stats = c.renderStats();
      assertEquals(1, stat(stats, "blocks.fetched"), stats);
      assertEquals(0, stat(stats, "pieces.fetched"), stats);
    }
  }
}
