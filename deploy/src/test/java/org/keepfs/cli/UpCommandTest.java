package org.keepfs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keepfs.client.fuse.MountInfo;
import org.keepfs.client.fuse.MountTable;
import org.keepfs.client.fuse.Unmounter;

class UpCommandTest {
  @TempDir Path dir;

  @Test
  void upServesTheDataDirectoryOnTheMountUntilUnmounted() throws Exception {
    boolean fuse = Files.exists(Path.of("/dev/fuse")) && (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0;
    if (!fuse && "true".equals(System.getenv("CI"))) {
      fail("FUSE test not run: needs /dev/fuse and root (CI=true, so this is a failure)");
    }
    Assumptions.assumeTrue(fuse, "FUSE test not run: needs /dev/fuse and root");
    Path data = dir.resolve("data");
    Files.createDirectories(data.resolve("files/docs"));
    Files.writeString(data.resolve("files/docs/readme.txt"), "welcome\n");
    Path mnt = dir.resolve("mnt");
    CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> Main.commandLine().execute(
        "up", mnt.toString(), "--read-only", "--data", data.toString(), "--cache-dir", dir.resolve("cache").toString()));
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (MountTable.find(mnt.toAbsolutePath()).filter(MountInfo::isFuse).isEmpty()) {
      if (run.isDone()) {
        fail("keepfs up ended with " + run.get() + " before mounting");
      }
      if (Instant.now().isAfter(deadline)) {
        fail("keepfs up did not mount within 60 s");
      }
      Thread.sleep(50);
    }
    try {
      assertEquals("welcome\n", Files.readString(mnt.resolve("files/docs/readme.txt")));
      assertTrue(Files.isDirectory(mnt.resolve("collections")));
    } finally {
      Unmounter.unmount(mnt.toAbsolutePath(), true);
    }
    assertEquals(0, run.get(60, TimeUnit.SECONDS));
  }
}
