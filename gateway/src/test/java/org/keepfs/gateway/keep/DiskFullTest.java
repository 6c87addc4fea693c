package org.keepfs.gateway.keep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keepfs.store.Md5;
import org.keepfs.store.StoreChain;
import org.keepfs.store.local.LocalDirectoryBlockStore;

/**
 * A real full disk: a 4 MiB tmpfs mounted for the test. Needs root; skipped otherwise unless CI is
 * set, where a missing piece is a failure.
 */
class DiskFullTest {
  @TempDir Path dir;
  Path mountPoint;
  boolean mounted;

  @BeforeEach
  void mountSmallTmpfs() throws Exception {
    boolean root = "root".equals(System.getProperty("user.name"));
    if (!"true".equals(System.getenv("CI"))) {
      assumeTrue(root, "mounting a tmpfs needs root");
    }
    mountPoint = dir.resolve("small");
    Files.createDirectories(mountPoint);
    run("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", mountPoint.toString());
    mounted = true;
  }

  @AfterEach
  void unmount() throws Exception {
    if (mounted) {
      // Blocks are served from mappings the garbage collector releases in its own time; a lazy
      // unmount detaches the tmpfs now and frees it when the last mapping goes.
      run("umount", "--lazy", mountPoint.toString());
    }
  }

  private static void run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + output);
    }
  }

  static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void aFullDiskGives507AndLeavesNoPartialFile() throws Exception {
    LocalDirectoryBlockStore store = new LocalDirectoryBlockStore("local", mountPoint);
    StoreChain chain = new StoreChain(List.of(store), List.of(store), Optional.empty(), store.tmpDir());
    KeepAccess access = new KeepAccess(Optional.empty(), Set.of("w"), Optional.empty());
    try (JettyFixture server = JettyFixture.start(Map.of(BlockPath.PREFIX, new KeepBlockHandler(chain, access)))) {
      byte[] fits = bytes(3 << 20, 1);
      String fitsHash = Md5.hex(ByteBuffer.wrap(fits));
      assertEquals(200, Http.put(server.uri("/keep/" + fitsHash), fits, "Authorization", "Bearer w").statusCode());

      byte[] tooBig = bytes(2 << 20, 2);
      HttpResponse<byte[]> full = Http.put(server.uri("/keep/" + Md5.hex(ByteBuffer.wrap(tooBig))), tooBig,
          "Authorization", "Bearer w");
      assertEquals(507, full.statusCode(), Http.text(full));
      assertTrue(Http.text(full).contains("no space left"), Http.text(full));

      try (Stream<Path> files = Files.walk(mountPoint)) {
        assertEquals(List.of(store.pathOf(fitsHash)), files.filter(Files::isRegularFile).toList());
      }
      assertArrayEquals(fits, Http.get(server.uri("/keep/" + fitsHash + "+" + fits.length)).body());
    }
  }
}
