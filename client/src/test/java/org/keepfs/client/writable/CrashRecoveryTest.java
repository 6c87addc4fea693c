package org.keepfs.client.writable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.keepfs.client.writable.WritableMountOperationsTest.md5;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keepfs.client.cli.RecoverCommand;
import org.keepfs.client.fuse.FuseMountSupport;
import org.keepfs.client.fuse.MountTable;
import org.keepfs.client.fuse.Unmounter;
import org.keepfs.client.write.commit.GatewayFixture;
import picocli.CommandLine;

/** A real client process killed with SIGKILL after an fsync: what it flushed is committed afterwards. */
class CrashRecoveryTest {
  @TempDir Path dir;
  WritableMounts mounts;
  Path mnt;
  Path spool;
  Path token;

  @BeforeEach
  void start() throws Exception {
    FuseMountSupport.assumeFuseUsable();
    mounts = WritableMounts.start(dir);
    mnt = Files.createDirectories(dir.resolve("mnt"));
    spool = dir.resolve("mnt-spool");
    token = Files.writeString(dir.resolve("token"), GatewayFixture.TOKEN + "\n");
  }

  @AfterEach
  void stop() throws Exception {
    try {
      if (mnt != null && MountTable.find(mnt).isPresent()) {
        Unmounter.unmount(mnt, true);
      }
    } finally {
      if (mounts != null) {
        mounts.close();
      }
    }
  }

  /** Starts {@code keepfs mount --read-write --foreground} in a process of its own and waits for its mount. */
  Process startClient() throws Exception {
    String java = ProcessHandle.current().info().command().orElseThrow();
    Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
        "-cp", System.getProperty("java.class.path"), WritableMountMain.class.getName(),
        mounts.gateway.uri().toString(), mnt.toString(), "--read-write", "--collection", "k", "--foreground",
        "--token-file", token.toString(), "--spool-dir", spool.toString(), "--cache-dir", dir.resolve("cache").toString())
        .redirectError(dir.resolve("client.log").toFile()).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null) {
      if (line.startsWith("keepfs mount: collection 'k'")) {
        return p;
      }
    }
    p.destroyForcibly().waitFor();
    fail("the client ended before mounting: " + Files.readString(dir.resolve("client.log")));
    return p;
  }

  /** Writes and fsyncs one file, writes another without fsync, then kills the client with SIGKILL. */
  void writeThenKill(Process client) throws Exception {
    try (FileChannel ch = FileChannel.open(mnt.resolve("durable.txt"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap("flushed".getBytes(StandardCharsets.UTF_8)));
      ch.force(true);
    }
    Files.writeString(mnt.resolve("volatile.txt"), "never fsynced");
    client.destroyForcibly();
    client.waitFor();
    assertEquals(137, client.exitValue(), "killed by SIGKILL");
    Unmounter.unmount(mnt, true);
    assertEquals(Optional.empty(), mounts.head("k"), "the killed client never committed");
  }

  record Run(int exit, String out, String err) {}

  Run recover(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CommandLine cl = new CommandLine(new RecoverCommand());
    cl.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    int exit = cl.execute(args);
    return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void keepfsRecoverCommitsWhatTheKilledClientHadFsynced() throws Exception {
    writeThenKill(startClient());
    Run r = recover(spool.toString(), "--token-file", token.toString());
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("committed collection 'k' at " + mounts.gateway.uri()), r.out());
    assertEquals(". " + md5("flushed") + "+7 0:7:durable.txt\n", mounts.manifest("k"));
    Run again = recover(spool.toString(), "--token-file", token.toString());
    assertEquals(0, again.exit(), again.err());
    assertTrue(again.out().contains("nothing to recover"), again.out());
  }

  @Test
  void theNextMountOfTheCollectionRecoversByItself() throws Exception {
    writeThenKill(startClient());
    WritableMounts.Mounted m = mounts.mount("k", "mnt");
    assertEquals("flushed", Files.readString(m.path("durable.txt")));
    assertEquals("1\n", Files.readString(m.path(".arv/dirty")));
    WritableMounts.sh(m.mnt(), "echo 1 > .arv/commit");
    assertEquals(". " + md5("flushed") + "+7 0:7:durable.txt\n", mounts.manifest("k"));
  }

  @Test
  void recoverRefusesWhatIsNotASpoolAndASpoolInUse() throws Exception {
    Path notSpool = Files.createDirectories(dir.resolve("plain"));
    Run bad = recover(notSpool.toString());
    assertEquals(2, bad.exit());
    assertTrue(bad.err().contains("is not a keepfs spool"), bad.err());
    assertEquals(List.of(), List.of(notSpool.toFile().list()), "nothing was created in it");
    WritableMounts.Mounted m = mounts.mount("k", "mnt");
    Run busy = recover(m.writable().settings().writer().spoolDir().toString());
    assertEquals(3, busy.exit());
    assertTrue(busy.err().contains("in use"), busy.err());
    Run badToken = recover(spool.toString(), "--token-file", dir.resolve("missing-token").toString());
    assertEquals(2, badToken.exit());
    assertTrue(badToken.err().contains("--token-file"), badToken.err());
  }
}
