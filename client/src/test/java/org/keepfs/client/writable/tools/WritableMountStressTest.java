package org.keepfs.client.writable.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keepfs.client.fuse.FuseMountSupport;

/**
 * Several worker processes ({@link StressWorker}) change one writable mount at once for several rounds,
 * in their own directories and in a shared one, while the test commits again and again underneath them;
 * afterwards the mount and then a fresh read-only mount of the commit must hold exactly the tree the
 * workers' logs say they left.
 */
class WritableMountStressTest {
  private static final int WORKERS = 4;
  private static final int ROUNDS = 6;
  private static final Duration WORKER_WAIT = Duration.ofMinutes(8);

  @TempDir Path dir;
  LiveGateway gateway;
  MountProcess mount;
  final List<Process> workers = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    FuseMountSupport.assumeFuseUsable();
    gateway = LiveGateway.start(dir.resolve("gateway"));
  }

  @AfterEach
  void stop() throws Exception {
    for (Process p : workers) {
      p.destroyForcibly().waitFor();
    }
    if (mount != null) {
      mount.close();
    }
    if (gateway != null) {
      gateway.close();
    }
  }

  @Test
  void workerProcessesCreateWriteRenameAndDeleteWhileCommitsRun() throws Exception {
    mount = MountProcess.start(gateway, "stress", Files.createDirectories(dir.resolve("mnt")), dir.resolve("rw"));
    Files.createDirectory(mount.root().resolve("shared"));
    List<Path> logs = new ArrayList<>();
    for (int n = 0; n < WORKERS; n++) {
      Path log = dir.resolve("worker-" + n + ".log");
      logs.add(log);
      workers.add(new ProcessBuilder(MountProcess.javaBinary(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
          StressWorker.class.getName(), mount.root().toString(), Integer.toString(n), Integer.toString(ROUNDS),
          Long.toString(1000 + n), log.toString())
          .redirectErrorStream(true).redirectOutput(dir.resolve("worker-" + n + ".out").toFile()).start());
    }
    // Commit over and over while the workers run: each capture must see a consistent tree.
    int commits = 0;
    Instant deadline = Instant.now().plus(WORKER_WAIT);
    while (workers.stream().anyMatch(Process::isAlive)) {
      if (Instant.now().isAfter(deadline)) {
        fail("the workers did not finish within " + WORKER_WAIT.toMinutes() + " minutes:\n" + tails(logs));
      }
      mount.commit();
      commits++;
      Thread.sleep(200);
    }
    for (int n = 0; n < WORKERS; n++) {
      assertEquals(0, workers.get(n).exitValue(), "worker " + n + " saw what it wrote:\n" + Files.readString(logs.get(n)));
    }
    assertTrue(commits >= 2, "commits ran while the workers were busy: " + commits);

    TreeMap<String, String> expected = new TreeMap<>();
    expected.put("shared", "dir");
    for (Path log : logs) {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      assertEquals("done", lines.getLast(), "the worker finished: " + log);
      for (String e : StressWorker.expectations(lines)) {
        String[] f = e.split(" ");
        expected.put(f[2], f[1].equals("dir") ? "dir" : "file " + f[3] + " " + f[4]);
      }
    }
    assertTrue(expected.size() > WORKERS * ROUNDS * 8, "the workers left a sizeable tree: " + expected.size());
    assertEquals(expected, TreeListing.of(mount.root()), "the live mount after the workers");
    mount.commit();
    String pdh = mount.hash();
    assertEquals(0, mount.unmount(), mount.log());
    assertEquals(pdh, gateway.collection("stress").orElseThrow().pdh(), "the last commit is the head");
    try (ReadOnlyMount ro = ReadOnlyMount.open(gateway, dir.resolve("ro"))) {
      assertEquals(expected, TreeListing.of(ro.collection("stress")), "the committed collection");
    }
  }

  private static String tails(List<Path> logs) throws Exception {
    StringBuilder b = new StringBuilder();
    for (Path l : logs) {
      List<String> lines = Files.exists(l) ? Files.readAllLines(l) : List.of();
      b.append(l.getFileName()).append(": ").append(lines.subList(Math.max(0, lines.size() - 5), lines.size())).append('\n');
    }
    return b.toString();
  }
}
