package org.keepfs.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.keepfs.fs123.CacheControl;
import org.keepfs.fs123.Netstring;
import org.keepfs.fs123.NextOffset;
import org.keepfs.gateway.keep.BlockPath;
import org.keepfs.locator.Locator;

/**
 * What keepfs needs from a site cache, checked against a real proxy process in front of a real gateway.
 * Each subclass starts one proxy with its shipped configuration. Tests use their own paths, so they
 * share one proxy without seeing each other's cached replies.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ProxyContract {
  /** Files in the listing test: the size of a large real directory, five /d pages of 128 KiB. */
  static final int LISTING_FILES = 20_000;
  /**
   * Bytes read as /f chunks and as /keep/ pieces. The acceptance figure is 1 GiB; 64 MiB (512 chunks, 64
   * pieces, one whole block) keeps the suite at seconds, and the ratio does not depend on the size
   * (bench/proxy/run reads 1 GiB).
   */
  static final int DATA_BYTES = 64 << 20;
  static final int CHUNK_KIB = 128;

  private Path work;
  private Origin origin;
  private ProxyProcess proxy;
  private Path bigFile;
  private Locator block;

  /** Starts the proxy under test in front of the gateway on {@code gatewayPort}. */
  abstract ProxyProcess startProxy(int gatewayPort, Path workDir) throws IOException;

  /**
   * Whether a reader's {@code Cache-Control: max-age=0} makes the proxy revalidate with the origin.
   * Varnish's configuration deliberately ignores it; Squid has no switch to ignore it alone.
   */
  abstract boolean revalidatesOnRequestMaxAgeZero();

  @BeforeAll
  void start() throws Exception {
    // Under /tmp (not a private @TempDir): a proxy that drops privileges must reach its work directory.
    work = Files.createTempDirectory("keepfs-proxy-");
    Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
    origin = new Origin(work.resolve("origin"));
    Path many = Files.createDirectories(origin.exportDir.resolve("many"));
    for (int i = 0; i < LISTING_FILES; i++) {
      Files.createFile(many.resolve(String.format("file-%05d", i)));
    }
    bigFile = origin.exportDir.resolve("big");
    writeRandom(bigFile, DATA_BYTES, 1);
    Path blockFile = work.resolve("block");
    writeRandom(blockFile, DATA_BYTES, 2);
    block = origin.putBlock(blockFile);
    proxy = startProxy(origin.port(), Files.createDirectories(work.resolve("proxy")));
  }

  @AfterAll
  void stop() throws Exception {
    try {
      if (proxy != null) {
        proxy.close();
      }
    } finally {
      try {
        if (origin != null) {
          origin.close();
        }
      } finally {
        if (work != null) {
          try (Stream<Path> all = Files.walk(work)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
          }
        }
      }
    }
  }

  Reader reader() {
    return new Reader(proxy.uri());
  }

  // ---------------------------------------------------------------------------------------------------

  /** What one reader got: digests of what it read, how many requests it made. */
  record Read(List<String> names, String fileMd5, String blockMd5, int fs123Requests, int pieceRequests) {}

  private Read readEverything(Reader r) throws Exception {
    List<String> names = new ArrayList<>();
    int fs123Requests = 0;
    String query = "?128;1;0";
    while (true) {
      Reader.Reply page = ok(r.get(Reader.FS123 + "/d/data/many" + query));
      fs123Requests++;
      names.addAll(entryNames(page.body()));
      NextOffset next = NextOffset.parse(page.header("fs123-nextoffset"));
      if (next.eof()) {
        break;
      }
      query = "?128;0;" + next.offset();
    }
    MessageDigest file = MessageDigest.getInstance("MD5");
    for (long kib = 0; ; kib += CHUNK_KIB) {
      Reader.Reply chunk = ok(r.get(Reader.FS123 + "/f/data/big?" + CHUNK_KIB + ";" + kib));
      fs123Requests++;
      byte[] data = fileData(chunk.body());
      file.update(data);
      if (data.length < CHUNK_KIB * 1024) {
        break;
      }
    }
    MessageDigest blockMd5 = MessageDigest.getInstance("MD5");
    int pieces = BlockPath.pieceCount(block.size());
    for (int n = 0; n < pieces; n++) {
      Reader.Reply piece = r.get("/keep/" + block.hashAndSize() + "/" + n);
      assertEquals(200, piece.status(), "piece " + n);
      blockMd5.update(piece.body());
    }
    return new Read(names, HexFormat.of().formatHex(file.digest()), HexFormat.of().formatHex(blockMd5.digest()),
        fs123Requests, pieces);
  }

  @Test
  void aSecondReaderCostsTheOriginUnderOnePercentOfTheFirst() throws Exception {
    Origin.Traffic fs123Before = origin.fs123();
    Origin.Traffic keepBefore = origin.logged(p -> p.startsWith("/keep/"));
    Origin.Traffic keepMetricsBefore = origin.route("/keep");
    Read first;
    try (Reader r = reader()) {
      first = readEverything(r);
    }
    Origin.Traffic fs123First = origin.fs123().minus(fs123Before);
    Origin.Traffic keepFirst = origin.logged(p -> p.startsWith("/keep/")).minus(keepBefore);
    Origin.Traffic keepMetricsFirst = origin.route("/keep").minus(keepMetricsBefore);

    assertEquals(LISTING_FILES + 2, first.names().size(), "every entry, with . and .., across the pages");
    assertEquals(md5(bigFile), first.fileMd5(), "the file read through the proxy");
    assertEquals(block.hash(), first.blockMd5(), "the block read piece by piece through the proxy");
    // The counters do count: the first reader's requests all went to the origin.
    assertEquals(first.fs123Requests(), fs123First.requests(), "fs123 requests of the first reader at the origin");
    assertTrue(fs123First.bytes() >= DATA_BYTES, "origin fs123 bytes " + fs123First.bytes());
    assertEquals(first.pieceRequests(), keepFirst.requests(), "piece requests of the first reader at the origin");
    assertTrue(keepFirst.bytes() >= DATA_BYTES, "origin block bytes " + keepFirst.bytes());
    assertEquals(keepFirst, keepMetricsFirst, "the gateway's /keep counters agree with its access log");

    Read second;
    try (Reader r = reader()) {
      second = readEverything(r);
    }
    Origin.Traffic fs123Second = origin.fs123().minus(fs123Before).minus(fs123First);
    Origin.Traffic keepSecond = origin.logged(p -> p.startsWith("/keep/")).minus(keepBefore).minus(keepFirst);
    assertEquals(keepSecond, origin.route("/keep").minus(keepMetricsBefore).minus(keepMetricsFirst),
        "the gateway's /keep counters agree with its access log");

    assertEquals(first, second, "the second reader reads the same names and bytes");
    assertTrue(fs123Second.requests() * 100 < fs123First.requests(),
        "fs123 origin requests: first reader " + fs123First.requests() + ", second " + fs123Second.requests());
    assertTrue(fs123Second.bytes() * 100 < fs123First.bytes(),
        "fs123 origin bytes: first reader " + fs123First.bytes() + ", second " + fs123Second.bytes());
    assertTrue(keepSecond.requests() * 100 < keepFirst.requests(),
        "block origin requests: first reader " + keepFirst.requests() + ", second " + keepSecond.requests());
    assertTrue(keepSecond.bytes() * 100 < keepFirst.bytes(),
        "block origin bytes: first reader " + keepFirst.bytes() + ", second " + keepSecond.bytes());
  }

  @Test
  void aChangedFileIsVisibleWithinMaxAgePlusStaleWhileRevalidate() throws Exception {
    int maxAge = 1;
    int swr = 1;
    Path dir = Files.createDirectories(origin.exportDir.resolve("changing"));
    Files.writeString(dir.resolve(".fs123_cc_rules"),
        "{\"rulesfile-maxage\": 1, \"cc\": \"max-age=" + maxAge + ",stale-while-revalidate=" + swr + "\"}");
    Path file = dir.resolve("v");
    Files.writeString(file, "version 1");
    String url = Reader.FS123 + "/f/data/changing/v?128;0";
    try (Reader r = reader()) {
      long t0 = System.nanoTime();
      assertEquals("version 1", text(fileData(ok(r.get(url)).body())));
      long originBefore = origin.loggedExactly(url);
      Reader.Reply cached = ok(r.get(url));
      if (seconds(System.nanoTime() - t0) < maxAge) {
        assertEquals(originBefore, origin.loggedExactly(url), "a fresh reply comes from the cache");
      }
      assertEquals("version 1", text(fileData(cached.body())));

      Files.writeString(file, "version 2, a little longer");
      long changed = System.nanoTime();
      while (true) {
        Reader.Reply now = ok(r.get(url));
        String body = text(fileData(now.body()));
        if (body.equals("version 2, a little longer")) {
          break;
        }
        assertEquals("version 1", body, "either version, never a mix");
        assertTrue(now.age() <= maxAge + swr, "the proxy served a reply aged " + now.age()
            + " s, older than max-age + stale-while-revalidate (" + (maxAge + swr) + " s)");
        // Measured from the change; 2 s of slack for request and scheduling delays on a loaded machine.
        if (seconds(System.nanoTime() - changed) > maxAge + swr + 2) {
          fail("the change was still not visible " + seconds(System.nanoTime() - changed) + " s after it was made");
        }
        Thread.sleep(50);
      }
    }
  }

  @Test
  void aRenameOverGivesTheNewCookieOnceARequestSaysNoCache() throws Exception {
    Path dir = Files.createDirectories(origin.exportDir.resolve("renamed"));
    Path file = dir.resolve("x");
    Files.writeString(file, "the old file");
    String attr = Reader.FS123 + "/a/data/renamed/x";
    String data = Reader.FS123 + "/f/data/renamed/x?128;0";
    long oldCookie;
    try (Reader r = reader()) {
      oldCookie = ok(r.get(attr)).cookie();
      assertEquals(oldCookie, ok(r.get(data)).cookie());
    }
    assertNotEquals(0, oldCookie);
    Path replacement = dir.resolve("x.new");
    Files.writeString(replacement, "the new file, another inode");
    Files.move(replacement, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

    try (Reader r = reader()) {
      assertEquals(oldCookie, ok(r.get(attr)).cookie(), "within max-age the proxy still has the old attributes");
      long before = origin.loggedExactly(attr);
      long newCookie = ok(r.get(attr, "Cache-Control", "no-cache, stale-if-error=864000")).cookie();
      assertEquals(before + 1, origin.loggedExactly(attr), "no-cache went to the origin");
      assertNotEquals(oldCookie, newCookie, "a rename-over changes the ESTALE cookie");
      assertNotEquals(0, newCookie);
      Reader.Reply fresh = ok(r.get(data, "Cache-Control", "no-cache"));
      assertEquals(newCookie, fresh.cookie());
      assertEquals("the new file, another inode", text(fileData(fresh.body())));
    }
    try (Reader other = reader()) {
      assertEquals(ok(other.get(attr)).cookie(), ok(other.get(data)).cookie());
      assertNotEquals(oldCookie, ok(other.get(attr)).cookie(),
          "after the no-cache refetch every reader gets the new cookie from the proxy");
      assertEquals("the new file, another inode", text(fileData(ok(other.get(data)).body())));
    }
  }

  @Test
  void noCacheReachesTheOriginAndMaxAgeZeroOnlyWhereDocumented() throws Exception {
    Path dir = Files.createDirectories(origin.exportDir.resolve("nocache"));
    Files.writeString(dir.resolve("f"), "content");
    String url = Reader.FS123 + "/f/data/nocache/f?128;0";
    try (Reader r = reader()) {
      ok(r.get(url));
      long afterFirst = origin.loggedExactly(url);
      assertEquals(1, afterFirst);
      ok(r.get(url));
      assertEquals(afterFirst, origin.loggedExactly(url), "a plain repeat is a hit");
      assertEquals("content", text(fileData(ok(r.get(url, "Cache-Control", "no-cache")).body())));
      assertEquals(afterFirst + 1, origin.loggedExactly(url), "no-cache reached the origin");

      long notModified = origin.fs123Status(304);
      ok(r.get(url, "Cache-Control", "max-age=0"));
      if (revalidatesOnRequestMaxAgeZero()) {
        assertEquals(afterFirst + 2, origin.loggedExactly(url), "max-age=0 revalidated at the origin");
        assertEquals(notModified + 1, origin.fs123Status(304), "and the revalidation was a body-less 304");
      } else {
        assertEquals(afterFirst + 1, origin.loggedExactly(url), "max-age=0 is served from the cache");
      }
    }
  }

  @Test
  void aNegativeLookupIsServedByTheProxyTheSecondTime() throws Exception {
    String url = Reader.FS123 + "/a/data/no-such-file";
    try (Reader first = reader(); Reader second = reader()) {
      Reader.Reply a = ok(first.get(url));
      assertEquals(2, a.errno(), "ENOENT");
      assertTrue(a.header("cache-control").contains("max-age="), a.header("cache-control"));
      Reader.Reply b = ok(second.get(url));
      assertEquals(2, b.errno(), "ENOENT from the cache");
      assertEquals(a.header("cache-control"), b.header("cache-control"));
    }
    assertEquals(1, origin.loggedExactly(url), "one origin request for two lookups");
  }

  @Test
  void aNotModifiedRefreshKeepsTheFs123Headers() throws Exception {
    Path dir = Files.createDirectories(origin.exportDir.resolve("refresh"));
    Files.writeString(dir.resolve(".fs123_cc_rules"), "{\"rulesfile-maxage\": 1, \"cc\": \"max-age=1\"}");
    for (int i = 0; i < 10; i++) {
      Files.writeString(dir.resolve("entry-" + i), "x");
    }
    String url = Reader.FS123 + "/d/data/refresh?128;1;0";
    try (Reader r = reader()) {
      Reader.Reply original = ok(r.get(url));
      assertNotNull(original.header("fs123-nextoffset"));
      assertNotNull(original.header("etag"));
      long notModifiedBefore = origin.fs123Status(304);
      Reader.Reply refreshed = null;
      long deadline = System.nanoTime() + 20_000_000_000L;
      while (origin.fs123Status(304) == notModifiedBefore) {
        if (System.nanoTime() > deadline) {
          fail("the proxy never revalidated the expired listing with the origin (no 304 in 20 s)");
        }
        Thread.sleep(200);
        refreshed = ok(r.get(url));
      }
      Reader.Reply after = ok(r.get(url));
      for (Reader.Reply reply : List.of(refreshed, after)) {
        for (String h : List.of("fs123-errno", "fs123-estalecookie", "fs123-nextoffset", "etag", "cache-control")) {
          assertEquals(original.header(h), reply.header(h), h + " after the origin's 304");
        }
        assertArrayEquals(original.body(), reply.body());
      }
    }
  }

  @Test
  void aReaderRevalidatingItsCopyGetsA304WithCacheControl() throws Exception {
    Path dir = Files.createDirectories(origin.exportDir.resolve("conditional"));
    Files.writeString(dir.resolve("f"), "content");
    String url = Reader.FS123 + "/f/data/conditional/f?128;0";
    try (Reader r = reader()) {
      Reader.Reply full = ok(r.get(url));
      String etag = full.header("etag");
      assertNotNull(etag);
      Reader.Reply conditional = r.get(url, "If-None-Match", etag);
      assertEquals(304, conditional.status());
      assertNotNull(conditional.header("cache-control"), "fs123 clients fail a 304 without Cache-Control");
      // Squid reorders the directives; what they say must be the same.
      assertEquals(CacheControl.parse(full.header("cache-control")), CacheControl.parse(conditional.header("cache-control")));
      assertEquals(0, conditional.body().length);
    }
    assertEquals(1, origin.loggedExactly(url), "the 304 came from the proxy");
  }

  @Test
  void ageIsPresentOnHitsAndNeverMoreThanTheTimeSinceTheOriginReplied() throws Exception {
    Path dir = Files.createDirectories(origin.exportDir.resolve("aged"));
    Files.writeString(dir.resolve("f"), "content");
    String url = Reader.FS123 + "/a/data/aged/f";
    try (Reader r = reader()) {
      long t0 = System.nanoTime();
      ok(r.get(url));
      long deadline = t0 + 15_000_000_000L;
      while (true) {
        Reader.Reply hit = ok(r.get(url));
        double elapsed = seconds(System.nanoTime() - t0);
        assertTrue(hit.age() >= 0, "a cached reply carries Age");
        assertTrue(hit.age() <= elapsed + 1, "Age " + hit.age() + " s, but the origin replied " + elapsed + " s ago");
        if (hit.age() >= 1) {
          break;
        }
        if (System.nanoTime() > deadline) {
          fail("Age stayed below 1 s for 15 s");
        }
        Thread.sleep(100);
      }
    }
    assertEquals(1, origin.loggedExactly(url), "every later reply was a hit");
  }

  @Test
  void repliesAreNeverCompressedEvenWhenAReaderAsksForGzip() throws Exception {
    Path dir = Files.createDirectories(origin.exportDir.resolve("text"));
    Files.writeString(dir.resolve("t.txt"), "compress me ".repeat(5000));
    Reader direct = new Reader(origin.uri());
    try (direct; Reader r = reader()) {
      for (String url : List.of(Reader.FS123 + "/f/data/text/t.txt?128;0", Reader.FS123 + "/d/data/text?128;1;0")) {
        byte[] expected = ok(direct.get(url)).body();
        for (int i = 0; i < 2; i++) {
          Reader.Reply reply = ok(r.get(url, "Accept-Encoding", "gzip, deflate, br"));
          assertNull(reply.header("content-encoding"), url + " must not be encoded");
          assertArrayEquals(expected, reply.body(), url);
        }
      }
    }
  }

  @Test
  void concurrentMissesForOneUrlBecomeOneOriginRequest() throws Exception {
    Path file = origin.exportDir.resolve(Origin.SLOW_DIR).resolve("c");
    writeRandom(file, 256 * 1024, 3);
    String url = Reader.FS123 + "/f/data/" + Origin.SLOW_DIR + "/c?128;0";
    int readers = 8;
    CountDownLatch go = new CountDownLatch(1);
    List<Future<byte[]>> bodies = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(readers)) {
      for (int i = 0; i < readers; i++) {
        bodies.add(pool.submit(() -> {
          try (Reader r = reader()) {
            go.await();
            return ok(r.get(url)).body();
          }
        }));
      }
      go.countDown();
      byte[] first = bodies.get(0).get();
      for (Future<byte[]> b : bodies) {
        assertArrayEquals(first, b.get());
      }
    }
    assertEquals(1, origin.loggedExactly(url),
        readers + " readers arriving together (the origin takes " + SlowTree.DELAY + " ms) cost one origin request");
  }

  @Test
  void aByteRangeOfAWholeBlockCostsTheOriginTheRangeNotTheBlock() throws Exception {
    String url = "/keep/" + block.hashAndSize();
    byte[] expected = new byte[4096];
    try (var in = Files.newInputStream(work.resolve("block"))) {
      in.skipNBytes(3 << 20);
      in.readNBytes(expected, 0, expected.length);
    }
    Origin.Traffic before = origin.logged(url::equals);
    try (Reader r = reader()) {
      Reader.Reply part = r.get(url, "Range", "bytes=" + (3 << 20) + "-" + ((3 << 20) + 4095));
      assertEquals(206, part.status());
      assertArrayEquals(expected, part.body());
    }
    Origin.Traffic cost = origin.logged(url::equals).minus(before);
    assertTrue(cost.bytes() < 1 << 20, "a 4 KiB range cost the origin " + cost.bytes() + " bytes");
  }

  @Test
  void aMissingBlockIsNotCachedSoItCanBeReadOnceUploaded() throws Exception {
    Path content = work.resolve("late-block");
    writeRandom(content, 1 << 20, 4);
    String url = "/keep/" + md5(content) + "+" + (1 << 20) + "/0";
    try (Reader r = reader()) {
      assertEquals(404, r.get(url).status(), "not uploaded yet");
      assertEquals(404, r.get(url).status());
      assertEquals(2, origin.loggedExactly(url), "each 404 came from the origin: a 404 says nothing about caching");
      origin.putBlock(content);
      Reader.Reply found = r.get(url);
      assertEquals(200, found.status(), "readable as soon as it is stored");
      assertArrayEquals(Files.readAllBytes(content), found.body());
    }
  }

  // ---------------------------------------------------------------------------------------------------

  static Reader.Reply ok(Reader.Reply r) {
    if (r.status() != 200) {
      fail("HTTP " + r.status() + ": " + new String(r.body(), StandardCharsets.UTF_8));
    }
    assertNotNull(r.header("fs123-errno"), "fs123-errno on " + r.headers());
    assertNotNull(r.header("cache-control"), "Cache-Control on " + r.headers());
    return r;
  }

  /** The data part of a /f body (after the validator netstring). */
  static byte[] fileData(byte[] body) {
    Netstring.Decoded validator = Netstring.decode(body, 0, body.length);
    return java.util.Arrays.copyOfRange(body, validator.end(), body.length);
  }

  static List<String> entryNames(byte[] body) {
    List<String> names = new ArrayList<>();
    int at = 0;
    while (at < body.length) {
      Netstring.Decoded name = Netstring.decode(body, at, body.length);
      names.add(new String(name.payload(), StandardCharsets.UTF_8));
      int newline = at;
      while (body[newline] != '\n') {
        newline++;
      }
      at = newline + 1;
    }
    return names;
  }

  static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  static double seconds(long nanos) {
    return nanos / 1e9;
  }

  static String md5(Path file) throws Exception {
    MessageDigest md5 = MessageDigest.getInstance("MD5");
    md5.update(Files.readAllBytes(file));
    return HexFormat.of().formatHex(md5.digest());
  }

  static void writeRandom(Path file, int bytes, long seed) throws IOException {
    Random random = new Random(seed);
    byte[] buf = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (int left = bytes; left > 0; left -= buf.length) {
        random.nextBytes(buf);
        out.write(buf, 0, Math.min(left, buf.length));
      }
    }
  }
}
