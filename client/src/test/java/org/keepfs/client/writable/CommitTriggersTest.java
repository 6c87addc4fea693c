package org.keepfs.client.writable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.keepfs.client.writable.WritableMounts.run;
import static org.keepfs.client.writable.WritableMounts.sh;
import static org.keepfs.client.writable.WritableMountOperationsTest.md5;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keepfs.client.cli.MountCommand;
import org.keepfs.client.cli.UnmountCommand;
import org.keepfs.client.fuse.FuseMountSupport;
import org.keepfs.client.fuse.MountInfo;
import org.keepfs.client.fuse.MountTable;
import org.keepfs.client.write.commit.GatewayFixture;
import picocli.CommandLine;

/** Each way a writable mount commits, and what happens when a commit cannot complete. */
class CommitTriggersTest {
  @TempDir Path dir;
  WritableMounts mounts;

  @BeforeEach
  void start() throws Exception {
    FuseMountSupport.assumeFuseUsable();
    mounts = WritableMounts.start(dir);
  }

  @AfterEach
  void stop() throws Exception {
    if (mounts != null) {
      mounts.close();
    }
  }

  static void awaitCommitted(WritableMounts mounts, String collection) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (mounts.head(collection).isEmpty()) {
      if (Instant.now().isAfter(deadline)) {
        fail("collection '" + collection + "' was not committed within 60 s");
      }
      Thread.sleep(50);
    }
  }

  @Test
  void aFailedCommitThroughTheControlFileIsEioAndLosesNothing() throws Exception {
    WritableMounts.Mounted m = mounts.mount("c", "mnt",
        s -> new WritableMount.Settings(s.writer().withRetry(WritableMounts.QUICK_RETRY), s.commitIdle(), s.commitOnFsync()));
    mounts.gateway.stop();
    sh(m.mnt(), "echo kept > f");
    WritableMounts.Result failed = run(m.mnt(), "echo 1 > .arv/commit");
    assertNotEquals(0, failed.exit());
    assertTrue(failed.err().contains("I/O error") || failed.err().contains("Input/output error"), failed.err());
    assertEquals("1\n", Files.readString(m.path(".arv/dirty")));
    assertTrue(Files.exists(m.writable().settings().writer().spoolDir().resolve("snapshot")),
        "a failed commit leaves the changes in the spool");
    mounts.gateway.restart();
    sh(m.mnt(), "echo 1 > .arv/commit");
    assertEquals(". " + md5("kept\n") + "+5 0:5:f\n", mounts.manifest("c"));
    assertEquals("0\n", Files.readString(m.path(".arv/dirty")));
    assertFalse(Files.exists(m.writable().settings().writer().spoolDir().resolve("snapshot")),
        "a commit that carried everything leaves no snapshot to recover");
  }

  @Test
  void fsyncMakesTheDataDurableAndCommitsOnlyWhenAskedTo() throws Exception {
    WritableMounts.Mounted plain = mounts.mount("plain", "plain");
    WritableMounts.Mounted committing = mounts.mount("eager", "eager",
        s -> new WritableMount.Settings(s.writer(), s.commitIdle(), true));
    for (WritableMounts.Mounted m : new WritableMounts.Mounted[] {plain, committing}) {
      try (FileChannel ch = FileChannel.open(m.path("f"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ch.write(ByteBuffer.wrap("synced".getBytes(StandardCharsets.UTF_8)));
        ch.force(true);
      }
    }
    assertEquals(". " + md5("synced") + "+6 0:6:f\n", mounts.manifest("eager"), "--commit-on-fsync committed at the fsync");
    assertEquals(Optional.empty(), mounts.head("plain"), "without it an fsync does not commit");
    assertTrue(Files.exists(plain.writable().settings().writer().spoolDir().resolve("snapshot")), "but it is in the spool");
  }

  @Test
  void anIdleMountCommitsByItself() throws Exception {
    WritableMounts.Mounted m = mounts.mount("idle", "idle",
        s -> new WritableMount.Settings(s.writer(), Optional.of(Duration.ofSeconds(1)), false));
    sh(m.mnt(), "mkdir out && echo done > out/result");
    awaitCommitted(mounts, "idle");
    assertEquals("./out " + md5("done\n") + "+5 0:5:result\n", mounts.manifest("idle"));
  }

  @Test
  void keepfsUnmountCommitsBeforeTheMountGoesAway() throws Exception {
    WritableMounts.Mounted m = mounts.mount("u", "mnt");
    sh(m.mnt(), "echo last > f");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CommandLine cl = new CommandLine(new UnmountCommand());
    cl.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    assertEquals(0, cl.execute(m.mnt().toString()));
    assertEquals("committed " + m.mnt() + "\nunmounted " + m.mnt() + "\n", out.toString(StandardCharsets.UTF_8));
    assertEquals(". " + md5("last\n") + "+5 0:5:f\n", mounts.manifest("u"), "committed before the unmount returned");
    assertTrue(m.session().finish());
  }

  @Test
  void keepfsUnmountKeepsTheMountWhenTheCommitFails() throws Exception {
    WritableMounts.Mounted m = mounts.mount("u", "mnt",
        s -> new WritableMount.Settings(s.writer().withRetry(WritableMounts.QUICK_RETRY), s.commitIdle(), s.commitOnFsync()));
    sh(m.mnt(), "echo last > f");
    mounts.gateway.stop();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CommandLine cl = new CommandLine(new UnmountCommand());
    cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    assertEquals(1, cl.execute(m.mnt().toString()));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("stays mounted"), err.toString(StandardCharsets.UTF_8));
    assertTrue(MountTable.find(m.mnt()).filter(MountInfo::isFuse).isPresent());
    assertEquals("last\n", Files.readString(m.path("f")));
    mounts.gateway.restart();
    assertEquals(0, new CommandLine(new UnmountCommand()).execute(m.mnt().toString()));
    assertEquals(". " + md5("last\n") + "+5 0:5:f\n", mounts.manifest("u"));
  }

  @Test
  void anUnmountFromOutsideStillEndsInACommit() throws Exception {
    WritableMounts.Mounted m = mounts.mount("outside", "mnt");
    sh(m.mnt(), "echo x > f");
    sh(dir, "fusermount -u " + m.mnt());
    m.fuse().awaitUnmounted();
    assertTrue(m.session().finish(), m.messages().toString());
    assertEquals(". " + md5("x\n") + "+2 0:2:f\n", mounts.manifest("outside"));
    assertTrue(m.messages().toString().contains("committed collection 'outside'"), m.messages().toString());
  }

  @Test
  void theMemoryLimitHoldsWhileWritingAFileLargerThanIt() throws Exception {
    long limit = 16L << 20;
    WritableMounts.Mounted m = mounts.mount("mem", "mnt",
        s -> new WritableMount.Settings(s.writer().withMemoryLimit(limit), s.commitIdle(), s.commitOnFsync()));
    byte[] data = new byte[80 << 20];
    new Random(11).nextBytes(data);
    Path source = Files.write(dir.resolve("source.bin"), data);
    sh(dir, "cp " + source + " " + m.path("big.bin"));
    assertTrue(m.writable().writer().memory().peak() <= limit,
        "peak " + m.writable().writer().memory().peak() + " > limit " + limit);
    sh(m.mnt(), "echo 1 > .arv/commit");
    assertTrue(m.writable().writer().memory().peak() <= limit);
    assertEquals(sh(dir, "md5sum < " + source), sh(dir, "md5sum < " + m.path("big.bin")));
    String manifest = mounts.manifest("mem");
    assertTrue(manifest.startsWith(". ") && manifest.endsWith(" 0:" + data.length + ":big.bin\n"), manifest);
  }

  @Test
  void execCommitsThenUnmountsAndPassesOnTheStatus() throws Exception {
    Path token = Files.writeString(dir.resolve("token"), GatewayFixture.TOKEN + "\n");
    Path mnt = Files.createDirectories(dir.resolve("exec-mnt"));
    int status = new CommandLine(new MountCommand()).execute(mounts.gateway.uri().toString(), mnt.toString(), "--read-write",
        "--collection", "job", "--token-file", token.toString(), "--cache-dir", dir.resolve("cache").toString(),
        "--exec", "sh", "-c", "echo out > " + mnt + "/result && exit 3");
    assertEquals(3, status);
    assertTrue(MountTable.find(mnt).isEmpty(), "unmounted");
    assertEquals(". " + md5("out\n") + "+4 0:4:result\n", mounts.manifest("job"));
  }

  @Test
  void execWithAFailedCommitExitsNonZeroAndSaysSo() throws Exception {
    Path wrongToken = Files.writeString(dir.resolve("wrong-token"), "not-the-write-token\n");
    Path mnt = Files.createDirectories(dir.resolve("exec-mnt"));
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CommandLine cl = new CommandLine(new MountCommand());
    cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    int status = cl.execute(mounts.gateway.uri().toString(), mnt.toString(), "--read-write", "--collection", "job",
        "--token-file", wrongToken.toString(), "--cache-dir", dir.resolve("cache").toString(),
        "--exec", "sh", "-c", "echo out > " + mnt + "/result");
    String said = err.toString(StandardCharsets.UTF_8);
    assertNotEquals(0, status, said);
    assertTrue(said.contains("COMMIT FAILED") && said.contains("keepfs recover"), said);
    assertTrue(MountTable.find(mnt).isEmpty(), "unmounted all the same");
    assertEquals(Optional.empty(), mounts.head("job"));
  }
}
