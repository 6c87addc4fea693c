package org.keepfs.client.writable.tools;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What goes wrong around a writable mount, with real processes: the gateway stopped while programs
 * write and started again, the mount process killed with SIGKILL after an fsync, two mounts of one
 * collection committing conflicting changes, and a file larger than the memory limit.
 */
class WritableMountFaultTest {
  private static final Pattern CONFLICT_NAME = Pattern.compile("same\\.txt~\\d{8}-\\d{6}~conflict~");

  @TempDir Path dir;
  LiveMounts mounts;
  LiveGateway gateway;
  final Random random = new Random(42);

  @BeforeEach
  void start() throws Exception {
    mounts = LiveMounts.start(dir);
    gateway = mounts.gateway();
  }

  @AfterEach
  void stop() throws Exception {
    if (mounts != null) {
      mounts.close();
    }
  }

  MountProcess mountReadWrite(String collection, String... extra) throws Exception {
    return mounts.readWrite(collection, extra);
  }

  byte[] randomBytes(int size) {
    byte[] b = new byte[size];
    random.nextBytes(b);
    return b;
  }

  /** Writes {@code bytes} to a new file and forces it to stable storage (fsync). */
  static void writeAndFsync(Path file, byte[] bytes) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.wrap(bytes);
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(true);
    }
  }

  TreeMap<String, String> committed(String collection) throws Exception {
    return mounts.committed(collection);
  }

  @Test
  void theGatewayStoppedDuringWritesAndRestartedLosesNothing() throws Exception {
    MountProcess m = mountReadWrite("restarted");
    Path local = Files.createDirectories(dir.resolve("expected"));
    // 70 MiB: one full 64 MiB block is uploaded while the gateway is still up.
    byte[] before = randomBytes((70 << 20) + 3);
    Files.write(m.root().resolve("before.bin"), before);
    Files.write(local.resolve("before.bin"), before);
    gateway.stop();
    // Programs keep writing while the gateway is gone: full blocks wait for it, small files stay local.
    byte[] during = randomBytes((130 << 20) + 5);
    Files.write(m.root().resolve("during.bin"), during);
    Files.write(local.resolve("during.bin"), during);
    Files.createDirectories(m.root().resolve("small/files"));
    Files.createDirectories(local.resolve("small/files"));
    for (int i = 0; i < 50; i++) {
      byte[] b = randomBytes(random.nextInt(8000));
      Files.write(m.root().resolve("small/files/" + i), b);
      Files.write(local.resolve("small/files/" + i), b);
    }
    assertArrayEquals(during, Files.readAllBytes(m.root().resolve("during.bin")), "reads back while the gateway is down");
    // A commit started now waits (retrying) for the gateway, which comes back while it waits.
    CompletableFuture<Void> commit = CompletableFuture.runAsync(() -> {
      try {
        m.commit();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    m.awaitOutput("retrying in", java.time.Duration.ofSeconds(60));
    assertFalse(commit.isDone(), "the commit cannot finish while the gateway is down");
    gateway.restart();
    commit.get();
    assertFalse(m.dirty(), "everything is committed:\n" + m.log());
    assertEquals(gateway.collection("restarted").orElseThrow().pdh(), m.hash());
    assertEquals(0, m.unmount(), m.log());
    assertEquals(TreeListing.of(local), committed("restarted"));
  }

  @Test
  void whatWasFsyncedBeforeKillMinus9IsCommittedByKeepfsRecover() throws Exception {
    TreeMap<String, String> expected = writeFsyncAndKill("recovered");
    MountProcess dead = mounts.last();
    MountProcess.Finished r = MountProcess.runCommand(dir.resolve("recover.log"), "recover", dead.spool().toString(),
        "--token-file", gateway.tokenFile().toString());
    assertEquals(0, r.status(), r.output());
    assertTrue(r.output().contains("committed collection 'recovered'"), r.output());
    TreeMap<String, String> after = committed("recovered");
    after.remove("written-after-fsync.txt"); // not fsynced: may or may not have reached the spool
    assertEquals(expected, after);
  }

  @Test
  void whatWasFsyncedBeforeKillMinus9IsCommittedByTheNextMount() throws Exception {
    TreeMap<String, String> expected = writeFsyncAndKill("remounted");
    MountProcess dead = mounts.last();
    MountProcess next = mounts.readWriteOnSpool("remounted", dead.spool());
    TreeMap<String, String> seen = TreeListing.of(next.root());
    seen.remove("written-after-fsync.txt");
    assertEquals(expected, seen, "the next mount shows what the killed one had fsynced");
    assertEquals(0, next.unmount(), next.log());
    TreeMap<String, String> after = committed("remounted");
    after.remove("written-after-fsync.txt");
    assertEquals(expected, after);
  }

  /**
   * Commits a first version, then changes the tree and fsyncs (a 100 MiB file spanning a block boundary,
   * small files, a removal), writes one more file without fsync, and kills the mount with SIGKILL.
   * Returns the tree that must be recovered.
   */
  private TreeMap<String, String> writeFsyncAndKill(String collection) throws Exception {
    MountProcess m = mountReadWrite(collection);
    Path local = Files.createDirectories(dir.resolve("expected-" + collection));
    Files.writeString(m.root().resolve("committed.txt"), "committed before the crash\n");
    Files.writeString(m.root().resolve("removed.txt"), "removed after the commit\n");
    m.commit();
    Files.writeString(local.resolve("committed.txt"), "committed before the crash\n");
    byte[] big = randomBytes((100 << 20) + 7);
    writeAndFsync(m.root().resolve("big.bin"), big);
    Files.write(local.resolve("big.bin"), big);
    Files.createDirectories(m.root().resolve("dir/sub"));
    Files.createDirectories(local.resolve("dir/sub"));
    for (int i = 0; i < 10; i++) {
      byte[] b = randomBytes(random.nextInt(20_000));
      writeAndFsync(m.root().resolve("dir/sub/small-" + i), b);
      Files.write(local.resolve("dir/sub/small-" + i), b);
    }
    Files.delete(m.root().resolve("removed.txt"));
    writeAndFsync(m.root().resolve("dir/last-fsynced"), "the last fsync\n".getBytes(StandardCharsets.UTF_8));
    Files.writeString(local.resolve("dir/last-fsynced"), "the last fsync\n");
    Files.writeString(m.root().resolve("written-after-fsync.txt"), "never fsynced\n");
    assertTrue(m.dirty());
    m.kill9();
    assertTrue(Files.isDirectory(m.spool()), "the spool outlives the process");
    return TreeListing.of(local);
  }

  @Test
  void twoMountsChangingOneFileKeepBothVersions() throws Exception {
    MountProcess first = mountReadWrite("shared");
    Files.writeString(first.root().resolve("same.txt"), "the original\n");
    Files.writeString(first.root().resolve("untouched.txt"), "nobody changes this\n");
    first.commit();
    MountProcess second = mountReadWrite("shared");
    assertEquals("the original\n", Files.readString(second.root().resolve("same.txt")), "the second mount starts at the head");

    Files.writeString(first.root().resolve("same.txt"), "changed by the first mount\n");
    Files.writeString(first.root().resolve("first-only.txt"), "new in the first mount\n");
    first.commit();
    Files.writeString(second.root().resolve("same.txt"), "changed by the second mount\n");
    Files.writeString(second.root().resolve("second-only.txt"), "new in the second mount\n");
    // The head moved since the second mount read it: its commit merges instead of overwriting.
    second.commit();
    assertEquals(gateway.collection("shared").orElseThrow().pdh(), second.hash());
    // The second mount's tree now shows the merge too.
    assertEquals("new in the first mount\n", Files.readString(second.root().resolve("first-only.txt")));
    assertEquals(0, second.unmount(), second.log());
    assertEquals(0, first.unmount(), first.log());

    try (ReadOnlyMount ro = ReadOnlyMount.open(gateway, dir.resolve("ro-conflict"))) {
      Path c = ro.collection("shared");
      assertEquals("changed by the second mount\n", Files.readString(c.resolve("same.txt")), "the committer's version keeps the name");
      List<String> conflicts;
      try (var s = Files.list(c)) {
        conflicts = s.map(p -> p.getFileName().toString()).filter(n -> CONFLICT_NAME.matcher(n).matches()).toList();
      }
      assertEquals(1, conflicts.size(), "one conflict copy named same.txt~YYYYMMDD-HHMMSS~conflict~: " + conflicts);
      assertEquals("changed by the first mount\n", Files.readString(c.resolve(conflicts.getFirst())), "the other version is kept");
      assertEquals("new in the first mount\n", Files.readString(c.resolve("first-only.txt")));
      assertEquals("new in the second mount\n", Files.readString(c.resolve("second-only.txt")));
      assertEquals("nobody changes this\n", Files.readString(c.resolve("untouched.txt")));
      try (var s = Files.list(c)) {
        assertEquals(5, s.count(), "nothing else");
      }
    }
  }

  @Test
  void aFileLargerThanTheMemoryLimitKeepsTheMountsMemoryBounded() throws Exception {
    MountProcess m = mountReadWrite("large", "--memory-limit", "64M");
    long before = m.peakRss();
    // 512 MiB, eight times the limit, in 8 MiB writes of different bytes.
    Path file = m.root().resolve("large.bin");
    java.security.MessageDigest md5 = java.security.MessageDigest.getInstance("MD5");
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      for (int i = 0; i < 64; i++) {
        byte[] chunk = randomBytes(8 << 20);
        md5.update(chunk);
        ByteBuffer b = ByteBuffer.wrap(chunk);
        while (b.hasRemaining()) {
          ch.write(b);
        }
      }
    }
    m.commit();
    long peak = m.peakRss();
    String sum = java.util.HexFormat.of().formatHex(md5.digest());
    assertEquals(0, m.unmount(), m.log());
    System.out.printf("memory limit 64 MiB, 512 MiB written: peak RSS %d MiB (%d MiB after mounting)%n", peak >> 20, before >> 20);
    // About 105 MiB after mounting (the JVM itself), the 64 MiB of native buffers, and a heap whose young
    // generation the launcher's options cap at 64 MiB: 182 MiB measured. With heap buffers and the JVM's
    // default heap sizing it was 280-330 MiB.
    assertTrue(peak < (288L << 20), "peak RSS " + (peak >> 20) + " MiB with --memory-limit 64M (after mounting: "
        + (before >> 20) + " MiB)");
    assertEquals("file " + (512L << 20) + " " + sum, committed("large").get("large.bin"));
  }
}
