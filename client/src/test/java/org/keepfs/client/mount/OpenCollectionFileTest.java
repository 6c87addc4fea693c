package org.keepfs.client.mount;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keepfs.client.fs.FileRegion;
import org.keepfs.client.fs.OpenFile;
import org.keepfs.client.fs.OpenFlags;
import org.keepfs.client.http.HttpOptions;
import org.keepfs.fs123.CacheControl;
import org.keepfs.locator.Locator;
import org.keepfs.pieces.PieceDigests;

/**
 * One open collection file read from several threads, as the kernel does: reads of pieces already
 * cached do not wait behind a read that is fetching; a read of cached bytes can be handed out as a region
 * of the verified cache file, which stays open until the region is closed; and the read-ahead of a closed
 * file stops at the fetches already on the wire.
 */
class OpenCollectionFileTest {
  static final int PIECE = PieceDigests.PIECE_SIZE;
  /** Long enough that a sequential read's read-ahead (32 MiB) is more than the fetches on the wire at once. */
  static final int SIZE = 48 * PIECE + 5;

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
    new Random(7).nextBytes(content);
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

  ClientSetup client(URI url) throws Exception {
    HttpOptions http = HttpOptions.of(url).withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(1));
    return ClientSetup.open(new ClientConfig(http, dir.resolve("cache"), 256L << 20, false, Duration.ofDays(10), "",
        Duration.ofSeconds(5)));
  }

  OpenFile open(ClientSetup c) throws Exception {
    return c.fileSystem().open(FsPaths.ino(c.fileSystem(), "by_id/" + pdh + "/f"), OpenFlags.READ_ONLY);
  }

  byte[] expected(long offset, int length) {
    return Arrays.copyOfRange(content, (int) offset, (int) offset + length);
  }

  static void awaitRequest(WireMockServer server, String url) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (server.findAll(getRequestedFor(urlEqualTo(url))).isEmpty()) {
      assertTrue(System.nanoTime() < deadline, "no request for " + url);
      Thread.sleep(10);
    }
  }

  @Test
  void aReadOfACachedPieceDoesNotWaitForAReadThatIsFetching() throws Exception {
    String slow = "/keep/" + block + "/3";
    proxy.stubFor(get(urlEqualTo(slow)).atPriority(1)
        .willReturn(aResponse().proxiedFrom(gateway.uri().toString()).withFixedDelay(3000)));
    try (ClientSetup c = client(URI.create(proxy.baseUrl()))) {
      OpenFile f = open(c);
      ByteBuffer first = ByteBuffer.allocate(4096);
      f.read(first, 10);
      assertArrayEquals(expected(10, 4096), first.array());
      // A random read (not sequential: no read-ahead) that waits on the slow piece...
      ByteBuffer fetching = ByteBuffer.allocate(4096);
      Future<Integer> waiting = CompletableFuture.supplyAsync(() -> {
        try {
          return f.read(fetching, 3L * PIECE + 100);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      awaitRequest(proxy, slow);
      // ...while another read of the same open file is answered from the cached piece 0.
      ByteBuffer cached = ByteBuffer.allocate(8192);
      assertEquals(8192, f.read(cached, 5000));
      assertArrayEquals(expected(5000, 8192), cached.array());
      assertFalse(waiting.isDone(), "the cached read finished while the fetching read was still waiting");
      assertEquals(4096, waiting.get());
      assertArrayEquals(expected(3L * PIECE + 100, 4096), fetching.array());
      f.release();
    }
  }

  @Test
  void aRegionIsTheReadsBytesInAVerifiedCacheFileOpenUntilItIsClosed() throws Exception {
    try (ClientSetup c = client(gateway.uri())) {
      OpenFile f = open(c);
      long offset = 2L * PIECE + 12_345;
      assertTrue(f.region(offset, 100_000).isEmpty(), "not cached yet: the caller reads instead");
      assertEquals(100_000, f.read(ByteBuffer.allocate(100_000), offset));
      PieceReadTest.settled(c);
      Optional<FileRegion> region = f.region(offset, 100_000);
      assertTrue(region.isPresent(), "a cached read inside one piece is a region");
      FileRegion r = region.get();
      assertEquals(12_345, r.position());
      assertEquals(100_000, r.length());
      Path fd = Path.of("/proc/self/fd/" + r.descriptor());
      Path file = Files.readSymbolicLink(fd);
      // The cursor moves on and the file is released: the region's descriptor stays open.
      assertEquals(4096, f.read(ByteBuffer.allocate(4096), 7L * PIECE));
      f.release();
      ByteBuffer bytes = ByteBuffer.allocate(r.length());
      try (FileChannel ch = FileChannel.open(fd, StandardOpenOption.READ)) {
        while (bytes.hasRemaining()) {
          assertTrue(ch.read(bytes, r.position() + bytes.position()) > 0);
        }
      }
      assertArrayEquals(expected(offset, r.length()), bytes.array());
      r.close();
      // The number may be reused by another open meanwhile, but not for this file.
      assertFalse(Files.exists(fd) && Files.readSymbolicLink(fd).equals(file), "the last reference closes the descriptor");
    }
  }

  @Test
  void readsAcrossPiecesOrPastTheEndAreNoRegion() throws Exception {
    try (ClientSetup c = client(gateway.uri())) {
      OpenFile f = open(c);
      assertEquals(20, f.read(ByteBuffer.allocate(20), PIECE - 10));
      assertEquals(5, f.read(ByteBuffer.allocate(4096), SIZE - 5));
      PieceReadTest.settled(c);
      assertTrue(f.region(PIECE - 10, 20).isEmpty(), "across two pieces");
      assertTrue(f.region(SIZE, 4096).isEmpty(), "at the end");
      Optional<FileRegion> tail = f.region(SIZE - 5, 4096);
      assertTrue(tail.isPresent());
      assertEquals(5, tail.get().length(), "a region stops at the end of the file");
      tail.get().close();
      f.release();
    }
  }

  @Test
  void theReadAheadOfAClosedFileStopsAtTheFetchesOnTheWire() throws Exception {
    proxy.stubFor(get(urlMatching(java.util.regex.Pattern.quote("/keep/" + block + "/") + "[0-9]+")).atPriority(1)
        .willReturn(aResponse().proxiedFrom(gateway.uri().toString()).withFixedDelay(500)));
    try (ClientSetup c = client(URI.create(proxy.baseUrl()))) {
      OpenFile f = open(c);
      ByteBuffer b = ByteBuffer.allocate(4096);
      f.read(b, 5L * PIECE); // not where the last read ended (0): no read-ahead
      f.read(b.clear(), 5L * PIECE + 4096); // sequential: asks for the pieces of the next 32 MiB
      f.release();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (PieceReadTest.stat(c.renderStats(), "pieces.in_flight") > 0) {
        assertTrue(System.nanoTime() < deadline, "fetches still running: " + c.renderStats());
        Thread.sleep(20);
      }
      String stats = c.renderStats();
      long fetched = PieceReadTest.stat(stats, "pieces.fetched");
      // Piece 5, and at most the read-ahead fetches that had a network slot when the file was closed.
      assertTrue(fetched <= 1 + 16, "read-ahead went on after close: " + stats);
      assertTrue(PieceReadTest.stat(stats, "pieces.prefetch_dropped") > 0, stats);
      assertEquals(fetched, proxy.findAll(getRequestedFor(urlMatching(java.util.regex.Pattern.quote("/keep/" + block + "/") + "[0-9]+"))).size());
    }
  }
}
