package org.keepfs.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keepfs.client.fuse.MountInfo;
import org.keepfs.client.fuse.MountTable;
import org.keepfs.client.fuse.Unmounter;

/**
 * {@code keepfs up} in its default, read-write mode as a process of its own: files copied in, Ctrl-C
 * (SIGINT), and a fresh read-only mount of the same data shows the same tree byte for byte.
 */
class UpReadWriteTest {
  @TempDir Path dir;

  @Test
  void ctrlCCommitsBeforeItUnmounts() throws Exception {
    boolean fuse = Files.exists(Path.of("/dev/fuse")) && (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0;
    if (!fuse && "true".equals(System.getenv("CI"))) {
      fail("FUSE test not run: needs /dev/fuse and root (CI=true, so this is a failure)");
    }
    Assumptions.assumeTrue(fuse, "FUSE test not run: needs /dev/fuse and root");
    Path data = dir.resolve("data");
    Path mnt = dir.resolve("mnt");
    Path source = Files.createDirectories(dir.resolve("source/src/deep"));
    Random random = new Random(3);
    for (int i = 0; i < 20; i++) {
      byte[] b = new byte[random.nextInt(200_000)];
      random.nextBytes(b);
      Files.write((i % 2 == 0 ? source : source.getParent()).resolve("file-" + i + ".bin"), b);
    }
    Files.createDirectories(dir.resolve("source/empty"));

    String java = ProcessHandle.current().info().command().orElseThrow();
    // A process started from a non-interactive shell may inherit SIGINT as ignored; perl puts back the default.
    Process up = new ProcessBuilder("perl", "-e", "$SIG{INT} = 'DEFAULT'; exec @ARGV or die \"exec: $!\"", java,
        "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-cp", System.getProperty("java.class.path"),
        Main.class.getName(), "up", mnt.toString(), "--data", data.toString(), "--cache-dir", dir.resolve("cache").toString())
        .redirectError(dir.resolve("up.log").toFile()).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(up.getInputStream(), StandardCharsets.UTF_8));
      String line;
      while ((line = out.readLine()) != null && !line.startsWith("keepfs up: gateway")) {
        // wait until it is mounted
      }
      if (line == null) {
        fail("keepfs up ended before mounting: " + Files.readString(dir.resolve("up.log")));
      }
      assertTrue(line.contains("collection 'home' mounted read-write"), line);
      Process cp = new ProcessBuilder("cp", "-r", dir.resolve("source").toString() + "/.", mnt.toString()).inheritIO().start();
      assertEquals(0, cp.waitFor());
      assertEquals(0, new ProcessBuilder("kill", "-INT", Long.toString(up.pid())).start().waitFor());
      assertTrue(up.waitFor(120, TimeUnit.SECONDS), "keepfs up ended after SIGINT");
      assertTrue(MountTable.find(mnt.toAbsolutePath()).isEmpty(), "unmounted");
      assertTrue(Files.readString(dir.resolve("up.log")).contains("committed collection 'home'"),
          Files.readString(dir.resolve("up.log")));
    } finally {
      if (up.isAlive()) {
        up.destroyForcibly().waitFor();
      }
      if (MountTable.find(mnt.toAbsolutePath()).isPresent()) {
        Unmounter.unmount(mnt.toAbsolutePath(), true);
      }
    }

    CompletableFuture<Integer> readOnly = CompletableFuture.supplyAsync(() -> Main.commandLine().execute(
        "up", mnt.toString(), "--read-only", "--data", data.toString(), "--cache-dir", dir.resolve("cache2").toString()));
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (MountTable.find(mnt.toAbsolutePath()).filter(MountInfo::isFuse).isEmpty()) {
      if (readOnly.isDone()) {
        fail("keepfs up --read-only ended with " + readOnly.get() + " before mounting");
      }
      if (Instant.now().isAfter(deadline)) {
        fail("keepfs up --read-only did not mount within 60 s");
      }
      Thread.sleep(50);
    }
    try {
      Path home = mnt.resolve("collections/home");
      assertEquals(tree(dir.resolve("source")), tree(home));
      for (String p : tree(dir.resolve("source"))) {
        if (Files.isRegularFile(dir.resolve("source").resolve(p))) {
          assertArrayEquals(Files.readAllBytes(dir.resolve("source").resolve(p)), Files.readAllBytes(home.resolve(p)), p);
        }
      }
    } finally {
      Unmounter.unmount(mnt.toAbsolutePath(), true);
    }
    assertEquals(0, readOnly.get(60, TimeUnit.SECONDS));
  }

  private static List<String> tree(Path root) throws Exception {
    try (Stream<Path> s = Files.walk(root)) {
      return s.map(p -> root.relativize(p).toString() + (Files.isDirectory(p) ? "/" : "")).sorted().toList();
    }
  }
}
