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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keepfs.client.fuse.FuseApi;
import org.keepfs.client.fuse.MountOptions;
import org.keepfs.client.mount.ClientConfig;
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
        {"--cache-size", "lots"}, {"--cache-size", "1M"}, {"--stale-if-error", "10 weeks"}, {"--read-write"},
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
