package org.keepfs.client.mount;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;
import org.keepfs.client.cli.MountCommand;
import org.keepfs.client.fuse.FuseApi;
import org.keepfs.client.fuse.FuseMount;
import org.keepfs.client.fuse.FuseMountSupport;
import org.keepfs.client.fuse.MountOptions;
import org.keepfs.client.http.HttpOptions;
import org.keepfs.fs123.CacheControl;
import org.keepfs.locator.Locator;
import picocli.CommandLine;

/** A real gateway on loopback mounted with real FUSE: what programs see through the mount. */
@ParameterizedClass(name = "{0}")
@EnumSource(FuseApi.class)
class MountedGatewayTest {
  @Parameter FuseApi api;

  @TempDir Path dir;
  Path export;
  Path mnt;
  TestGateway gateway;
  final Random random = new Random(7);

  @BeforeEach
  void start() throws Exception {
    FuseMountSupport.assumeFuseUsable();
    export = Files.createDirectories(dir.resolve("export"));
    mnt = Files.createDirectories(dir.resolve("mnt"));
    gateway = TestGateway.start(export, Files.createDirectories(dir.resolve("data")), 0, CacheControl.maxAge(60).withStaleWhileRevalidate(60));
  }

  @AfterEach
  void stop() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
  }

  FuseMount mount(ClientSetup c) throws Exception {
    return FuseMount.mount(c.fileSystem(), mnt, MountOptions.defaults("keepfs-test").withApi(api), Duration.ofSeconds(30));
  }

  ClientSetup client() throws Exception {
    HttpOptions http = HttpOptions.of(gateway.uri()).withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(1));
    return ClientSetup.open(new ClientConfig(http, dir.resolve("cache"), 512L << 20, false, Duration.ofDays(10), "", Duration.ofSeconds(5)));
  }

  void makeTree() throws Exception {
    for (int d = 0; d < 4; d++) {
      Path sub = Files.createDirectories(export.resolve("dir" + d).resolve("inner"));
      for (int f = 0; f < 6; f++) {
        byte[] b = new byte[f == 5 ? (1 << 20) + 4099 : random.nextInt(300_000)];
        random.nextBytes(b);
        Path p = (f % 2 == 0 ? sub : sub.getParent()).resolve("file " + d + "-" + f + (f == 3 ? "-ünï.txt" : ".bin"));
        Files.write(p, b);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(f % 3 == 0 ? "rwxr-xr-x" : "rw-r-----"));
      }
    }
    Files.write(export.resolve("empty"), new byte[0]);
    Files.createSymbolicLink(export.resolve("dir0/link-to-inner"), Path.of("inner"));
    Files.createSymbolicLink(export.resolve("dangling"), Path.of("no/such/target"));
  }

  /** path -> "type mode size target-or-md5", with write bits dropped (the mount is read-only). */
  static TreeMap<String, String> describe(Path root) throws Exception {
    TreeMap<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.toList()) {
        String rel = root.relativize(p).toString();
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
        perms.removeAll(Set.of(PosixFilePermission.OWNER_WRITE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE));
        String kind;
        if (Files.isSymbolicLink(p)) {
          kind = "link -> " + Files.readSymbolicLink(p);
        } else if (Files.isDirectory(p)) {
          kind = "dir " + PosixFilePermissions.toString(perms);
        } else {
          kind = "file " + PosixFilePermissions.toString(perms) + " " + Files.size(p) + " " + TestGateway.md5(Files.readAllBytes(p));
        }
        out.put(rel, kind);
      }
    }
    return out;
  }

  @Test
  void aMountedExportIsIdenticalToItsSource() throws Exception {
    makeTree();
    try (ClientSetup c = client(); FuseMount m = mount(c)) {
      assertEquals(describe(export), describe(mnt.resolve("data")));
      String stats = Files.readString(mnt.resolve(".keepfs/stats"));
      assertTrue(stats.contains("http.requests"), stats);
      assertTrue(Files.isDirectory(mnt.resolve("by_id")));
    }
  }

  @Test
  void aMountedCollectionReadsBackByteForByte() throws Exception {
    byte[] a = new byte[(9 << 20) + 5];
    random.nextBytes(a);
    List<Locator> blocks = gateway.putBlocks(a, 4 << 20);
    StringBuilder m = new StringBuilder(".");
    blocks.forEach(l -> m.append(' ').append(l));
    m.append(" 0:").append(a.length).append(":big.bin 0:3:first3\n");
    String pdh = gateway.putCollection("mounted", m.toString());
    try (ClientSetup c = client(); FuseMount mt = mount(c)) {
      assertArrayEquals(a, Files.readAllBytes(mnt.resolve("by_id/" + pdh + "/big.bin")));
      assertArrayEquals(a, Files.readAllBytes(mnt.resolve("collections/mounted/big.bin")));
      assertArrayEquals(java.util.Arrays.copyOf(a, 3), Files.readAllBytes(mnt.resolve("collections/mounted/first3")));
      assertEquals(List.of("big.bin", "first3"), Files.list(mnt.resolve("by_id/" + pdh)).map(p -> p.getFileName().toString()).sorted().toList());
      assertFalse(Files.exists(mnt.resolve("collections/absent")));
      long regions = PieceReadTest.stat(c.renderStats(), "reads.regions");
      if (api == FuseApi.LOW_LEVEL) {
        assertTrue(regions > 0, "the low-level front end replies from cache-file descriptors: " + c.renderStats());
      } else {
        assertEquals(0, regions, "jnr-fuse copies every read");
      }
    }
  }

  @Test
  void keepfsMountExecRunsTheCommandOnTheMountAndUnmounts() throws Exception {
    Files.writeString(export.resolve("greeting"), "hello from the gateway\n");
    Path out = dir.resolve("out.txt");
    int status = new CommandLine(new MountCommand()).execute(gateway.uri().toString(), mnt.toString(),
        "--cache-dir", dir.resolve("cli-cache").toString(), "--cache-size", "256M", "--fuse-api", api.optionName(),
        "--exec", "/bin/sh", "-c", "cat " + mnt + "/data/greeting > " + out + " && exit 3");
    assertEquals(3, status, "the command's exit status");
    assertEquals("hello from the gateway\n", Files.readString(out));
    assertTrue(org.keepfs.client.fuse.MountTable.find(mnt.toAbsolutePath()).isEmpty(), "unmounted after the command");
  }

  @Test
  void keepfsMountWithTheGatewayDownSaysSo() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CommandLine cl = new CommandLine(new MountCommand());
    cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    int status = cl.execute("http://127.0.0.1:" + port, mnt.toString(), "--cache-dir", dir.resolve("c").toString(),
        "--cache-size", "256M", "--retry-for", "1s", "--foreground");
    assertEquals(1, status);
    String text = err.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("cannot reach the gateway") && text.contains("127.0.0.1:" + port), text);
    assertTrue(org.keepfs.client.fuse.MountTable.find(mnt.toAbsolutePath()).isEmpty());
  }
}
