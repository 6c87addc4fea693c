package org.keepfs.client.mount;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keepfs.client.fs.Entry;
import org.keepfs.client.fs.FileSystem;
import org.keepfs.client.fs.NoEntry;
import org.keepfs.client.fs.NodeType;
import org.keepfs.client.fs.OpenFile;
import org.keepfs.client.fs.OpenFlags;
import org.keepfs.client.fs.PageCache;
import org.keepfs.client.http.HttpOptions;
import org.keepfs.fs123.CacheControl;
import org.keepfs.locator.Locator;
import org.keepfs.posix.Errno;
import org.keepfs.posix.ErrnoException;

/** The read path against a real gateway on loopback, through the FileSystem interface (no FUSE). */
class ReadPathTest {
  @TempDir Path dir;
  Path export;
  TestGateway gateway;
  final Random random = new Random(42);

  @BeforeEach
  void start() throws Exception {
    export = Files.createDirectories(dir.resolve("export"));
    gateway = TestGateway.start(export, Files.createDirectories(dir.resolve("data")), 0, CacheControl.maxAge(120).withStaleWhileRevalidate(120));
  }

  @AfterEach
  void stop() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
  }

  ClientSetup client(URI url, List<URI> fallbacks, String cache, boolean disconnected) throws Exception {
    HttpOptions http = HttpOptions.of(url).withFallbacks(fallbacks)
        .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofMillis(600));
    return ClientSetup.open(new ClientConfig(http, dir.resolve(cache), 256L << 20, disconnected, Duration.ofDays(10), "",
        Duration.ofSeconds(5)));
  }

  byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  static int deadPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void exportFilesDirectoriesAndSymlinksReadBack() throws Exception {
    byte[] big = bytes(3 * (128 << 10) + 17);
    Files.write(export.resolve("big.bin"), big);
    Files.createDirectories(export.resolve("sub/deeper"));
    Files.writeString(export.resolve("sub/deeper/hello.txt"), "hello\n");
    Files.createSymbolicLink(export.resolve("link"), Path.of("sub/deeper/hello.txt"));
    try (ClientSetup c = client(gateway.uri(), List.of(), "cache", false)) {
      FileSystem fs = c.fileSystem();
      c.checkRoot();
      assertTrue(FsPaths.list(fs, "").containsAll(List.of("data", "by_id", "collections", ".keepfs")), FsPaths.list(fs, "").toString());
      assertEquals(List.of("big.bin", "link", "sub"), FsPaths.list(fs, "data").stream().sorted().toList());
      assertArrayEquals(big, FsPaths.read(fs, "data/big.bin"));
      assertEquals("hello\n", new String(FsPaths.read(fs, "data/sub/deeper/hello.txt"), StandardCharsets.UTF_8));
      long link = FsPaths.ino(fs, "data/link");
      assertEquals(NodeType.SYMLINK, fs.getattr(link).attributes().type());
      assertEquals("sub/deeper/hello.txt", fs.readlink(link));
      assertEquals(big.length, fs.getattr(FsPaths.ino(fs, "data/big.bin")).attributes().size());
      assertInstanceOf(NoEntry.class, fs.lookup(FsPaths.ino(fs, "data/sub"), "missing"));
      ErrnoException rofs = assertThrows(ErrnoException.class,
          () -> fs.open(FsPaths.ino(fs, "data/big.bin"), new OpenFlags(OpenFlags.Access.WRITE, false, false, false, false)));
      assertEquals(Errno.EROFS, rofs.errno());
      String stats = new String(FsPaths.read(fs, ".keepfs/stats"), StandardCharsets.UTF_8);
      assertTrue(stats.contains("http.requests ") && stats.contains("reply_cache.hits ") && stats.contains("block_cache.misses "), stats);
    }
  }

  @Test
  void secondOpenOfAnUnchangedFileKeepsThePageCache() throws Exception {
    Files.writeString(export.resolve("f"), "same");
    try (ClientSetup c = client(gateway.uri(), List.of(), "cache", false)) {
      long ino = FsPaths.ino(c.fileSystem(), "data/f");
      OpenFile first = c.fileSystem().open(ino, OpenFlags.READ_ONLY);
      OpenFile second = c.fileSystem().open(ino, OpenFlags.READ_ONLY);
      assertEquals(PageCache.DROP, first.pageCache());
      assertEquals(PageCache.KEEP, second.pageCache());
    }
  }

  @Test
  void aFileChangedUnderAnOpenHandleFailsWithEstaleNeverMixedData() throws Exception {
    byte[] v1 = bytes(2 * (128 << 10));
    Path f = export.resolve("changing.bin");
    Files.write(f, v1);
    Files.setLastModifiedTime(f, FileTime.from(Instant.now().minusSeconds(100)));
    try (ClientSetup c = client(gateway.uri(), List.of(), "cache", false)) {
      OpenFile open = c.fileSystem().open(FsPaths.ino(c.fileSystem(), "data/changing.bin"), OpenFlags.READ_ONLY);
      ByteBuffer first = ByteBuffer.allocate(4096);
      open.read(first, 0);
      assertArrayEquals(java.util.Arrays.copyOf(v1, 4096), java.util.Arrays.copyOf(first.array(), 4096));
      Files.write(f, bytes(v1.length));
      Files.setLastModifiedTime(f, FileTime.from(Instant.now()));
      ErrnoException e = assertThrows(ErrnoException.class, () -> {
        // A far offset skips the read-ahead the first read may have started before the change.
        for (long off = 0; off < v1.length; off += 128 << 10) {
          ByteBuffer b = ByteBuffer.allocate(128 << 10);
          open.read(b, off);
          assertArrayEquals(java.util.Arrays.copyOfRange(v1, (int) off, (int) off + b.position()),
              java.util.Arrays.copyOf(b.array(), b.position()), "old bytes or ESTALE, nothing else");
        }
        // Reached only if every chunk came from before the change; then a reopen must see the new file.
        OpenFile again = c.fileSystem().open(FsPaths.ino(c.fileSystem(), "data/changing.bin"), OpenFlags.READ_ONLY);
        ByteBuffer b = ByteBuffer.allocate(16);
        again.read(b, 128 << 10);
        throw new ErrnoException(Errno.ESTALE, "old version read whole");
      });
      assertEquals(Errno.ESTALE, e.errno());
    }
  }

  @Test
  void gatewayDownAtMountIsAClearError() throws Exception {
    try (ClientSetup c = client(URI.create("http://127.0.0.1:" + deadPort()), List.of(), "cache", false)) {
      var e = assertThrows(java.io.IOException.class, c::checkRoot);
      assertTrue(e.getMessage().contains("cannot reach the gateway") && e.getMessage().contains("is it running"), e.getMessage());
      assertInstanceOf(org.keepfs.client.http.GatewayUnreachableException.class, e.getCause(), "retries ended on their bound");
    }
  }

  @Test
  void aFallbackUrlTakesOverWhenTheGatewayIsDown() throws Exception {
    Files.writeString(export.resolve("x"), "via fallback");
    try (ClientSetup c = client(URI.create("http://127.0.0.1:" + deadPort()), List.of(gateway.uri()), "cache", false)) {
      c.checkRoot();
      assertEquals("via fallback", new String(FsPaths.read(c.fileSystem(), "data/x"), StandardCharsets.UTF_8));
    }
  }

  @Test
  void cachedDataKeepsBeingServedWhenTheGatewayStopsAndUncachedReadsFailWithEio() throws Exception {
    byte[] content = bytes(4 * (128 << 10));
    Files.write(export.resolve("big"), content);
    Files.writeString(export.resolve("never-read"), "x");
    try (ClientSetup c = client(gateway.uri(), List.of(), "cache", false)) {
      FileSystem fs = c.fileSystem();
      OpenFile f = fs.open(FsPaths.ino(fs, "data/big"), OpenFlags.READ_ONLY);
      ByteBuffer b = ByteBuffer.allocate(128 << 10);
      f.read(b, 0);
      long neverRead = FsPaths.ino(fs, "data/never-read");
      gateway.stop();
      ByteBuffer again = ByteBuffer.allocate(128 << 10);
      assertEquals(128 << 10, f.read(again, 0));
      assertArrayEquals(java.util.Arrays.copyOf(content, 128 << 10), again.array());
      OpenFile other = fs.open(neverRead, OpenFlags.READ_ONLY);
      java.io.IOException e = assertThrows(java.io.IOException.class, () -> other.read(ByteBuffer.allocate(10), 0));
      assertEquals(Errno.EIO, Errno.of(e));
      assertInstanceOf(org.keepfs.client.http.GatewayUnreachableException.class, e, "retries ended on their bound");
    }
  }

  @Test
  void aRestartServesFromTheReplyCacheWithoutTheNetworkAndDisconnectedWorksOffline() throws Exception {
    Files.createDirectories(export.resolve("d"));
    Files.writeString(export.resolve("d/a"), "alpha");
    byte[] block = bytes(3 << 20);
    List<Locator> locs = gateway.putBlocks(block, 2 << 20);
    String pdh = gateway.putCollection("c1", ". " + locs.get(0) + " " + locs.get(1) + " 0:" + block.length + ":blob\n");
    try (ClientSetup c = client(gateway.uri(), List.of(), "cache", false)) {
      c.checkRoot();
      assertEquals(List.of("a"), FsPaths.list(c.fileSystem(), "data/d"));
      assertEquals("alpha", new String(FsPaths.read(c.fileSystem(), "data/d/a"), StandardCharsets.UTF_8));
      assertArrayEquals(block, FsPaths.read(c.fileSystem(), "by_id/" + pdh + "/blob"));
    }
    try (ClientSetup c = client(gateway.uri(), List.of(), "cache", false)) {
      c.checkRoot();
      assertEquals("alpha", new String(FsPaths.read(c.fileSystem(), "data/d/a"), StandardCharsets.UTF_8));
      assertArrayEquals(block, FsPaths.read(c.fileSystem(), "by_id/" + pdh + "/blob"));
      assertEquals(0, c.requestCount(), "everything within max-age comes from the caches");
    }
    URI url = gateway.uri();
    gateway.stop();
    try (ClientSetup c = client(url, List.of(), "cache", true)) {
      c.checkRoot();
      assertEquals(List.of("a"), FsPaths.list(c.fileSystem(), "data/d"));
      assertEquals("alpha", new String(FsPaths.read(c.fileSystem(), "data/d/a"), StandardCharsets.UTF_8));
      assertArrayEquals(block, FsPaths.read(c.fileSystem(), "by_id/" + pdh + "/blob"));
      ErrnoException e = assertThrows(ErrnoException.class, () -> c.fileSystem().lookup(FsPaths.ino(c.fileSystem(), "data/d"), "b"));
      assertEquals(Errno.EIO, e.errno());
      assertEquals(0, c.requestCount());
    }
  }

  @Test
  void collectionsReadBackByIdAndByName() throws Exception {
    byte[] a = bytes((5 << 20) + 123);
    byte[] small = "small file\n".getBytes(StandardCharsets.UTF_8);
    List<Locator> la = gateway.putBlocks(a, 2 << 20);
    List<Locator> ls = gateway.putBlocks(small, 1 << 20);
    StringBuilder m = new StringBuilder(".");
    la.forEach(l -> m.append(' ').append(l));
    m.append(" 0:").append(a.length).append(":a.bin\n./sub ").append(ls.get(0)).append(" 0:").append(small.length).append(":s.txt\n");
    String pdh = gateway.putCollection("c2", m.toString());
    try (ClientSetup c = client(gateway.uri(), List.of(), "cache", false)) {
      FileSystem fs = c.fileSystem();
      assertEquals(List.of("a.bin", "sub"), FsPaths.list(fs, "by_id/" + pdh));
      assertArrayEquals(a, FsPaths.read(fs, "by_id/" + pdh + "/a.bin"));
      assertArrayEquals(a, FsPaths.read(fs, "collections/c2/a.bin"));
      assertArrayEquals(small, FsPaths.read(fs, "collections/c2/sub/s.txt"));
      Entry e = (Entry) fs.lookup(FsPaths.ino(fs, "collections/c2"), "a.bin");
      assertEquals(a.length, e.attributes().size());
      assertInstanceOf(NoEntry.class, fs.lookup(FsPaths.ino(fs, "collections"), "no-such-collection"));
      assertInstanceOf(NoEntry.class, fs.lookup(FsPaths.ino(fs, "by_id"), "not-a-pdh"));
      // A random read in the middle of a block.
      OpenFile f = fs.open(FsPaths.ino(fs, "by_id/" + pdh + "/a.bin"), OpenFlags.READ_ONLY);
      ByteBuffer b = ByteBuffer.allocate(1000);
      f.read(b, 3_000_001);
      assertArrayEquals(java.util.Arrays.copyOfRange(a, 3_000_001, 3_001_001), b.array());
    }
  }
}
