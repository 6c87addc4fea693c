package org.keepfs.client.writable.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keepfs.client.cli.UnmountCommand;
import org.keepfs.client.fuse.FuseMountSupport;
import org.keepfs.client.fuse.MountTable;
import org.keepfs.client.fuse.Unmounter;
import picocli.CommandLine;
import org.keepfs.gateway.collections.CollectionReply;

/**
 * {@code keepfs mount --read-write GATEWAY MOUNTPOINT} (no {@code --collection}) as a real process over a
 * real gateway: two collections written and committed each on its own (through their
 * {@code collections/NAME/.arv/commit} and through the unmount), a new collection made with mkdir, the
 * read-only parts (by_id/ and an export) refusing every change with EROFS, EXDEV between collections,
 * EPERM on a collection itself, one collection's failed commit not keeping the others from committing, {@code --commit-on-fsync} and {@code --commit-idle} per collection,
 * {@code --exec}, a SIGKILL recovered by the next mount, and a second client reading what was committed.
 */
class FullReadWriteMountTest {
  private static final String EROFS = "Read-only file system";
  private static final String EPERM = "Operation not permitted";

  @TempDir Path dir;
  LiveMounts mounts;
  LiveGateway gateway;
  final Random random = new Random(7);

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

  MountProcess mountFull(String... extra) throws Exception {
    return mounts.full(extra);
  }

  byte[] randomBytes(int size) {
    byte[] b = new byte[size];
    random.nextBytes(b);
    return b;
  }


  String manifest(String collection) throws Exception {
    return gateway.collection(collection).map(CollectionReply::manifestText)
        .orElseThrow(() -> new AssertionError("collection " + collection + " is not on the gateway"));
  }

  static List<String> names(Path directory) throws IOException {
    try (var s = Files.list(directory)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** How {@link TreeListing} shows a file holding {@code bytes}. */
  static String entry(byte[] bytes) throws Exception {
    return "file " + bytes.length + " " + java.util.HexFormat.of().formatHex(
        java.security.MessageDigest.getInstance("MD5").digest(bytes));
  }

  static void commit(Path collectionRoot) throws IOException {
    Files.writeString(collectionRoot.resolve(".arv/commit"), "1\n", StandardCharsets.UTF_8, StandardOpenOption.WRITE);
  }

  static String reason(ThrowingCall call) {
    FileSystemException e = assertThrows(FileSystemException.class, call::run);
    return String.valueOf(e.getReason());
  }

  interface ThrowingCall {
    void run() throws Exception;
  }

  @Test
  void twoCollectionsAreCommittedEachOnItsOwnAndASecondClientSeesThem() throws Exception {
    MountProcess m = mountFull();
    Path collections = m.root().resolve("collections");
    Path alpha = Files.createDirectory(collections.resolve("alpha"));
    Path beta = Files.createDirectory(collections.resolve("beta"));
    Files.writeString(alpha.resolve("a.txt"), "alpha\n");
    Files.createDirectories(alpha.resolve("sub"));
    byte[] big = randomBytes((3 << 20) + 11);
    Files.write(alpha.resolve("sub/big.bin"), big);
    Files.writeString(beta.resolve("b.txt"), "beta\n");
    assertEquals(List.of("alpha", "beta"), names(collections));

    assertEquals("1\n", Files.readString(alpha.resolve(".arv/dirty")));
    commit(alpha);
    assertEquals("0\n", Files.readString(alpha.resolve(".arv/dirty")));
    assertEquals("1\n", Files.readString(beta.resolve(".arv/dirty")), "committing alpha leaves beta alone");
    String alphaPdh = Files.readString(alpha.resolve(".arv/hash")).strip();
    assertEquals(gateway.collection("alpha").orElseThrow().pdh(), alphaPdh);
    assertTrue(manifest("alpha").contains(" 0:6:a.txt"), manifest("alpha"));
    assertTrue(manifest("alpha").contains("./sub "), manifest("alpha"));
    assertTrue(gateway.collection("beta").isEmpty(), "beta is not committed yet");

    // Between collections a rename is EXDEV; mv then copies and removes.
    assertThrows(AtomicMoveNotSupportedException.class,
        () -> Files.move(alpha.resolve("a.txt"), beta.resolve("a.txt"), StandardCopyOption.ATOMIC_MOVE));
    FuseMountSupport.Result mv = FuseMountSupport.run(m.root(), "mv", alpha.resolve("sub").toString(), beta.toString());
    assertEquals(0, mv.exit(), mv.err());
    assertFalse(Files.exists(alpha.resolve("sub")));
    assertTrue(java.util.Arrays.equals(big, Files.readAllBytes(beta.resolve("sub/big.bin"))));

    // A collection itself is neither removed nor renamed through the mount.
    assertEquals(EPERM, reason(() -> Files.delete(beta.resolve("../alpha"))));
    assertEquals(EPERM, reason(() -> Files.move(alpha, collections.resolve("gamma"), StandardCopyOption.ATOMIC_MOVE)));
    assertEquals(EPERM, reason(() -> Files.writeString(collections.resolve("file"), "x")));

    assertEquals(0, m.unmount(), m.log());
    String alphaManifest = manifest("alpha");
    assertNotEquals(alphaPdh, gateway.collection("alpha").orElseThrow().pdh(), "the unmount committed the mv");
    assertFalse(alphaManifest.contains("big.bin"), alphaManifest);
    assertTrue(manifest("beta").contains("big.bin"), manifest("beta"));

    assertEquals(List.of("a.txt"), List.copyOf(mounts.committed("alpha").keySet()));
    TreeMap<String, String> beta2 = mounts.committed("beta");
    assertEquals(List.of("b.txt", "sub", "sub/big.bin"), List.copyOf(beta2.keySet()));
    assertEquals(entry(big), beta2.get("sub/big.bin"));
  }

  @Test
  void byIdAndExportsRefuseEveryChangeWithErofs() throws Exception {
    MountProcess m = mountFull();
    Path made = Files.createDirectory(m.root().resolve("collections/made"));
    Files.writeString(made.resolve("f.txt"), "in made\n");
    commit(made);
    String pdh = Files.readString(made.resolve(".arv/hash")).strip();
    Path byId = m.root().resolve("by_id").resolve(pdh);
    Path export = m.root().resolve("data");
    assertEquals("in made\n", Files.readString(byId.resolve("f.txt")));
    assertEquals("exported\n", Files.readString(export.resolve("plain.txt")));
    for (Path[] place : new Path[][] {{byId, byId.resolve("f.txt")}, {export, export.resolve("plain.txt")}}) {
      Path d = place[0];
      Path f = place[1];
      String where = d.toString();
      assertEquals(EROFS, reason(() -> Files.createFile(d.resolve("new"))), "create in " + where);
      assertEquals(EROFS, reason(() -> Files.writeString(f, "x", StandardOpenOption.WRITE)), "write in " + where);
      assertEquals(EROFS, reason(() -> Files.createDirectory(d.resolve("dir"))), "mkdir in " + where);
      assertEquals(EROFS, reason(() -> Files.delete(f)), "unlink in " + where);
      assertEquals(EROFS, reason(() -> Files.move(f, d.resolve("moved"), StandardCopyOption.ATOMIC_MOVE)), "rename in " + where);
      assertEquals(EROFS, reason(() -> Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"))),
          "chmod in " + where);
      assertEquals(EROFS, reason(() -> Files.setLastModifiedTime(f, FileTime.fromMillis(0))), "utimens in " + where);
      assertEquals(EROFS, reason(() -> Files.createSymbolicLink(d.resolve("link"), f)), "symlink in " + where);
      FuseMountSupport.Result truncate = FuseMountSupport.run(d, "truncate", "-s", "0", f.toString());
      assertNotEquals(0, truncate.exit(), "truncate in " + where);
      assertTrue(truncate.err().contains(EROFS), truncate.err());
      FuseMountSupport.Result chown = FuseMountSupport.run(d, "chown", "1:1", f.toString());
      assertNotEquals(0, chown.exit(), "chown in " + where);
      assertTrue(chown.err().contains(EROFS), chown.err());
    }
    assertEquals(EROFS, reason(() -> Files.createDirectory(m.root().resolve("at-the-root"))));
    assertEquals("in made\n", Files.readString(byId.resolve("f.txt")), "nothing changed");
    assertEquals("exported\n", Files.readString(gateway.exportDir().resolve("plain.txt")), "nothing changed");
    assertEquals(0, m.unmount(), m.log());
  }

  @Test
  void commitOnFsyncAndCommitIdleWorkForEachCollection() throws Exception {
    MountProcess m = mountFull("--commit-idle", "1", "--commit-on-fsync");
    Path synced = Files.createDirectory(m.root().resolve("collections/synced"));
    Path idle = Files.createDirectory(m.root().resolve("collections/idle"));
    byte[] bytes = randomBytes(5000);
    WritableMountFaultTest.writeAndFsync(synced.resolve("f.bin"), bytes);
    // fsync returned after the commit it triggered: the collection is on the gateway now.
    assertTrue(manifest("synced").contains(":5000:f.bin"), manifest("synced"));
    Files.writeString(idle.resolve("g.txt"), "idle\n");
    java.time.Instant deadline = java.time.Instant.now().plusSeconds(60);
    while (gateway.collection("idle").isEmpty() || !manifest("idle").contains(":5:g.txt")) {
      assertTrue(java.time.Instant.now().isBefore(deadline), "no idle commit of 'idle' within 60 s:\n" + m.log());
      Thread.sleep(100);
    }
    assertEquals("0\n", Files.readString(idle.resolve(".arv/dirty")));
    assertEquals(0, m.unmount(), m.log());
  }

  @Test
  void aCollectionWhoseCommitFailsDoesNotKeepTheOthersFromCommitting() throws Exception {
    MountProcess m = mountFull();
    // bad opens first, so the mount process tries it first at the end.
    Path bad = Files.createDirectory(m.root().resolve("collections/bad"));
    Path good = Files.createDirectory(m.root().resolve("collections/good"));
    // One full 64 MiB block of 'bad' goes to Keep while it is written; removing it from the gateway's store
    // makes the gateway refuse bad's manifest (400: a block nobody holds), a failure that is not retried.
    byte[] block = randomBytes(64 << 20);
    try (var out = Files.newOutputStream(bad.resolve("big.bin"))) {
      out.write(block);
      out.write(randomBytes(100));
    }
    Files.writeString(good.resolve("g.txt"), "good\n");
    String md5 = entry(block).split(" ")[2];
    List<Path> stored = awaitStoredBlock(md5);
    for (Path p : stored) {
      Files.delete(p);
    }

    StringWriter out = new StringWriter();
    int status = new CommandLine(new UnmountCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(out))
        .execute(m.root().toString());
    assertEquals(1, status, out.toString());
    assertTrue(out.toString().contains("committed " + good), out.toString());
    assertTrue(out.toString().contains("the commit of " + bad), out.toString());
    assertTrue(MountTable.find(m.root()).isPresent(), "keepfs unmount leaves the mount up when a commit failed");
    assertTrue(manifest("good").contains(":5:g.txt"), manifest("good"));
    assertTrue(gateway.collection("bad").isEmpty());

    // Unmounted from outside: the mount process commits what it can, says which failed, and exits 1.
    Files.writeString(good.resolve("after.txt"), "after\n");
    Unmounter.unmount(m.root(), true);
    assertEquals(1, m.awaitExit(), m.log());
    assertTrue(m.log().contains("COMMIT FAILED for collection 'bad'"), m.log());
    assertTrue(m.log().contains("committed collection 'good'"), m.log());
    assertTrue(manifest("good").contains(":6:after.txt"), manifest("good"));
    assertTrue(gateway.collection("bad").isEmpty());
    try (var spools = Files.list(dir.resolve("rw/spools"))) {
      Path badSpool = spools.filter(p -> p.getFileName().toString().startsWith("bad-")).findFirst().orElseThrow();
      assertTrue(Files.exists(badSpool.resolve("snapshot")), "bad's tree stays in its spool for keepfs recover");
    }
  }

  /** The files of the gateway that hold the block with this MD5, once it is stored. */
  List<Path> awaitStoredBlock(String md5) throws Exception {
    java.time.Instant deadline = java.time.Instant.now().plusSeconds(120);
    while (true) {
      try (var s = Files.walk(dir.resolve("gateway"))) {
        List<Path> found = s.filter(p -> p.getFileName().toString().equals(md5) && Files.isRegularFile(p)).toList();
        if (!found.isEmpty()) {
          return found;
        }
      }
      assertTrue(java.time.Instant.now().isBefore(deadline), "block " + md5 + " never reached the gateway's store");
      Thread.sleep(100);
    }
  }

  @Test
  void execCommitsEveryCollectionItWroteAndTheNextMountRecoversAKilledOnesSpools() throws Exception {
    Path mnt = Files.createDirectories(dir.resolve("mnt-exec"));
    MountProcess.Finished exec = MountProcess.runCommand(dir.resolve("exec.log"), "mount", "--read-write",
        gateway.uri().toString(), mnt.toString(), "--token-file", gateway.tokenFile().toString(),
        "--cache-dir", dir.resolve("rw/cache").toString(), "--cache-size", "256M", "--spool-dir",
        dir.resolve("rw/spools").toString(), "--exec", "sh", "-c",
        "cd " + mnt + " && mkdir collections/one collections/two && echo 1 > collections/one/f && echo 2 > collections/two/f");
    assertEquals(0, exec.status(), exec.output());
    assertTrue(exec.output().contains("committed collection 'one'"), exec.output());
    assertTrue(exec.output().contains("committed collection 'two'"), exec.output());
    assertTrue(manifest("one").contains(":2:f"), manifest("one"));
    assertTrue(manifest("two").contains(":2:f"), manifest("two"));

    MountProcess killed = mountFull();
    byte[] flushed = randomBytes(100_000);
    for (String c : List.of("one", "two")) {
      WritableMountFaultTest.writeAndFsync(killed.root().resolve("collections").resolve(c).resolve("flushed.bin"), flushed);
    }
    killed.kill9();
    assertFalse(manifest("one").contains("flushed.bin"), "not committed before the kill");

    // keepfs recover commits one collection's spool; the next mount recovers the other.
    Path oneSpool;
    try (var spools = Files.list(dir.resolve("rw/spools"))) {
      oneSpool = spools.filter(p -> p.getFileName().toString().startsWith("one-")).findFirst().orElseThrow();
    }
    MountProcess.Finished recover = MountProcess.runCommand(dir.resolve("recover.log"), "recover", oneSpool.toString(),
        "--token-file", gateway.tokenFile().toString());
    assertEquals(0, recover.status(), recover.output());
    assertTrue(manifest("one").contains("flushed.bin"), manifest("one"));
    assertFalse(manifest("two").contains("flushed.bin"), manifest("two"));

    MountProcess next = mountFull();
    next.awaitOutput("recovered collection 'two'", java.time.Duration.ofSeconds(60));
    assertFalse(next.log().contains("recovered collection 'one'"), next.log());
    assertEquals(0, next.unmount(), next.log());
    for (String c : List.of("one", "two")) {
      TreeMap<String, String> seen = mounts.committed(c);
      assertEquals(entry(flushed), seen.get("flushed.bin"), c + ": " + seen);
      assertTrue(seen.containsKey("f"), c + ": " + seen);
    }
  }
}
