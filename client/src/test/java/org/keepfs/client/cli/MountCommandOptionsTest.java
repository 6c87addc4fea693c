package org.keepfs.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keepfs.client.fuse.FuseApi;
import org.keepfs.client.fuse.MountOptions;
import org.keepfs.client.mount.ClientConfig;
import org.keepfs.client.writable.SpoolDirectory;
import org.keepfs.client.writable.WritableMount;
import picocli.CommandLine;

class MountCommandOptionsTest {
  @TempDir Path dir;

  MountCommand parse(String... args) {
    MountCommand c = new MountCommand();
    new CommandLine(c).parseArgs(args);
    return c;
  }

  @Test
  void optionsBecomeTheClientConfig() throws Exception {
    Path token = Files.writeString(dir.resolve("token"), "s3cr3t\n");
    MountCommand c = parse("http://gw:8123/sel/", "/mnt/x", "--fallback-url", "http://gw2:8123", "--fallback-url",
        "http://gw3:8123", "--proxy", "http://proxy:3128", "--token-file", token.toString(), "--cache-dir", dir.toString(),
        "--cache-size", "2G", "--disconnected", "--stale-if-error", "2d", "--subdir", "by_id/abc+1",
        "--exec", "ls", "-l", "/mnt/x");
    ClientConfig cfg = c.config();
    assertEquals(List.of(URI.create("http://gw:8123/sel"), URI.create("http://gw2:8123"), URI.create("http://gw3:8123")),
        cfg.http().baseUrls());
    assertEquals(Optional.of(URI.create("http://proxy:3128")), cfg.http().proxy());
    assertEquals(Optional.of("s3cr3t"), cfg.http().token());
    assertEquals(2L << 30, cfg.cacheSizeBytes());
    assertTrue(cfg.disconnected());
    assertEquals(Duration.ofDays(2), cfg.staleIfError());
    assertEquals(Duration.ofDays(2), cfg.http().staleIfError());
    assertEquals("by_id/abc+1", cfg.subdir());
    assertEquals(List.of("ls", "-l", "/mnt/x"), c.exec);
  }

  @Test
  void badValuesAreRefusedNamingTheOption() {
    for (String[] bad : new String[][] {
        {"--cache-size", "lots"}, {"--cache-size", "1M"}, {"--stale-if-error", "10 weeks"}, {"--read-write", "--subdir", "data"},
        {"--token-file", "/no/such/token"}, {"--fuse-api", "middle"}}) {
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      CommandLine cl = new CommandLine(new MountCommand());
      cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
      String[] args = new String[bad.length + 3];
      args[0] = "http://127.0.0.1:1";
      args[1] = dir.toString();
      args[2] = "--foreground";
      System.arraycopy(bad, 0, args, 3, bad.length);
      assertEquals(2, cl.execute(args), String.join(" ", bad));
      assertTrue(err.toString(StandardCharsets.UTF_8).contains(bad[0]), err.toString(StandardCharsets.UTF_8));
    }
    assertThrows(IllegalArgumentException.class, () -> parse("ftp://x", "/m").config());
  }

  @Test
  void writeOptionsBecomeTheWriterSettings() throws Exception {
    Path token = Files.writeString(dir.resolve("token"), "w-token\n");
    MountCommand c = parse("http://gw:8123", "/mnt/x", "--read-write", "--collection", "results", "--token-file",
        token.toString(), "--cache-dir", dir.toString(), "--memory-limit", "64M", "--commit-idle", "30", "--commit-on-fsync");
    WritableMount.Settings s = c.writeSettings(c.config());
    assertEquals("results", s.writer().collection());
    assertEquals(64L << 20, s.writer().memoryLimit());
    assertEquals(Optional.of("w-token"), s.writer().token());
    assertEquals(Optional.of(Duration.ofSeconds(30)), s.commitIdle());
    assertTrue(s.commitOnFsync());
    assertEquals(SpoolDirectory.defaultFor(System.getenv(), dir, URI.create("http://gw:8123"), "results"), s.writer().spoolDir());

    MountCommand other = parse("http://gw:8123", "/mnt/x", "--read-write", "--collection", "results", "--spool-dir",
        dir.resolve("sp").toString(), "--cache-dir", dir.toString());
    WritableMount.Settings o = other.writeSettings(other.config());
    assertEquals(dir.resolve("sp"), o.writer().spoolDir());
    assertEquals(256L << 20, o.writer().memoryLimit());
    assertEquals(Optional.empty(), o.commitIdle());
  }

  @Test
  void readWriteWithoutACollectionGivesEachCollectionItsOwnSpool() throws Exception {
    MountCommand c = parse("http://gw:8123", "/mnt/x", "--read-write", "--cache-dir", dir.toString(), "--memory-limit", "32M",
        "--commit-idle", "5");
    Function<String, WritableMount.Settings> settings = c.collectionSettings(c.config());
    WritableMount.Settings a = settings.apply("a");
    WritableMount.Settings b = settings.apply("b");
    assertEquals("a", a.writer().collection());
    assertEquals(SpoolDirectory.defaultFor(System.getenv(), dir, URI.create("http://gw:8123"), "a"), a.writer().spoolDir());
    assertEquals(SpoolDirectory.defaultFor(System.getenv(), dir, URI.create("http://gw:8123"), "b"), b.writer().spoolDir());
    assertEquals(32L << 20, b.writer().memoryLimit());
    assertEquals(Optional.of(Duration.ofSeconds(5)), b.commitIdle());

    MountCommand own = parse("http://gw:8123", "/mnt/x", "--read-write", "--spool-dir", dir.resolve("sp").toString(),
        "--cache-dir", dir.toString());
    WritableMount.Settings o = own.collectionSettings(own.config()).apply("a");
    assertEquals(dir.resolve("sp"), o.writer().spoolDir().getParent());
    assertEquals(SpoolDirectory.in(dir.resolve("sp"), URI.create("http://gw:8123"), "a"), o.writer().spoolDir());
  }

  @Test
  void theDefaultSpoolIsOnePerGatewayAndCollection() {
    Path cache = Path.of("/c");
    URI gw = URI.create("http://gw:1");
    Path a = SpoolDirectory.defaultFor(Map.of(), cache, gw, "a b");
    assertTrue(a.startsWith(Path.of("/c/spool")), a.toString());
    assertTrue(a.getFileName().toString().startsWith("a_b-"), a.toString());
    assertEquals(a, SpoolDirectory.defaultFor(Map.of(), cache, gw, "a b"));
    assertTrue(!a.equals(SpoolDirectory.defaultFor(Map.of(), cache, URI.create("http://gw:2"), "a b")));
    assertTrue(!a.equals(SpoolDirectory.defaultFor(Map.of(), cache, gw, "a_b")));
    assertTrue(SpoolDirectory.defaultFor(Map.of("XDG_STATE_HOME", "/st"), cache, gw, "a").startsWith(Path.of("/st/keepfs/spool")));
  }

  @Test
  void badWriteOptionsAreRefusedNamingTheProblem() {
    String[][] bad = {
        {"--read-write", "--disconnected"}, {"--read-write", "--collection", "a/b"}, {"--collection", "x"},
        {"--read-write", "--collection", "x", "--memory-limit", "1M"},
        {"--read-write", "--collection", "x", "--commit-idle", "0"},
        {"--read-write", "--collection", "x", "--subdir", "by_id/abc+1"},
        {"--commit-on-fsync"}};
    String[] expected = {"--disconnected", "--collection 'a/b'", "need --read-write", "--memory-limit", "--commit-idle",
        "--subdir", "need --read-write"};
    for (int i = 0; i < bad.length; i++) {
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      CommandLine cl = new CommandLine(new MountCommand());
      cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
      String[] args = new String[bad[i].length + 3];
      args[0] = "http://127.0.0.1:1";
      args[1] = dir.toString();
      args[2] = "--foreground";
      System.arraycopy(bad[i], 0, args, 3, bad[i].length);
      assertEquals(2, cl.execute(args), String.join(" ", bad[i]));
      assertTrue(err.toString(StandardCharsets.UTF_8).contains(expected[i]), err.toString(StandardCharsets.UTF_8));
    }
  }

  @Test
  void fuseApiChoosesTheFrontEnd() {
    assertEquals(FuseApi.LOW_LEVEL, parse("http://gw:1", "/m", "--fuse-api", "lowlevel").mountOptions().api());
    assertEquals(FuseApi.HIGH_LEVEL, parse("http://gw:1", "/m", "--fuse-api", "HighLevel").mountOptions().api());
    assertEquals(MountOptions.DEFAULT_API, parse("http://gw:1", "/m").mountOptions().api());
  }

  @Test
  void httpProxyFromTheEnvironmentExceptLoopbackAndNoProxy() {
    Map<String, String> env = Map.of("http_proxy", "proxy.site:3128", "no_proxy", "internal.org,.lan");
    assertEquals(Optional.of(URI.create("http://proxy.site:3128")), MountCommand.environmentProxy(URI.create("http://gw.example:1"), env));
    assertEquals(Optional.empty(), MountCommand.environmentProxy(URI.create("http://127.0.0.1:1"), env));
    assertEquals(Optional.empty(), MountCommand.environmentProxy(URI.create("http://a.internal.org:1"), env));
    assertEquals(Optional.empty(), MountCommand.environmentProxy(URI.create("http://box.lan:1"), env));
    assertEquals(Optional.empty(), MountCommand.environmentProxy(URI.create("http://gw:1"), Map.of()));
  }

  @Test
  void sizesAndDurations() {
    assertEquals(10L << 30, Quantities.bytes("--x", "10G"));
    assertEquals(512L << 20, Quantities.bytes("--x", "512MiB"));
    assertEquals(4096, Quantities.bytes("--x", "4096"));
    assertEquals(Duration.ofDays(10), Quantities.duration("--x", "10d"));
    assertEquals(Duration.ofMinutes(90), Quantities.duration("--x", "90m"));
    assertEquals(Duration.ofSeconds(30), Quantities.duration("--x", "30"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Quantities.bytes("--cache-size", "-1G"));
    assertTrue(e.getMessage().contains("--cache-size '-1G'"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Quantities.duration("--x", "5y"));
  }

  @Test
  void theDefaultCacheDirFollowsXdg() {
    assertEquals(Path.of("/xdg/keepfs"), MountCommand.defaultCacheDir(Map.of("XDG_CACHE_HOME", "/xdg")));
    assertTrue(MountCommand.defaultCacheDir(Map.of()).endsWith(Path.of(".cache", "keepfs")));
  }
}
