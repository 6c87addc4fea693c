package org.keepfs.client.fuse.lowlevel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keepfs.client.fs.FileSystem;
import org.keepfs.client.fs.OpenFlags;
import org.keepfs.client.fs.PageCache;
import org.keepfs.client.fuse.FuseApi;
import org.keepfs.client.fuse.FuseMount;
import org.keepfs.client.fuse.FuseMountSupport;
import org.keepfs.client.fuse.MountOptions;
import org.keepfs.client.fuse.MountTable;

/**
 * What only the low-level API can do, seen from the filesystem behind a real mount: lifetimes per
 * reply, readdirplus, lookup counts returned by FORGET, 1 MiB requests, and unmounting when the JVM
 * is told to stop.
 */
class LowLevelMountTest {
  private static final Duration LONG = Duration.ofSeconds(60);
  private static final Duration FORGET_WAIT = Duration.ofSeconds(20);

  @TempDir Path temp;
  private RecordingFileSystem fs;
  private Path mnt;
  private FuseMount mount;

  @BeforeEach
  void mountIt() throws IOException {
    FuseMountSupport.assumeFuseUsable();
    fs = new RecordingFileSystem();
    mnt = Files.createDirectory(temp.resolve("mnt"));
    mount = FuseMount.mount(fs, mnt, MountOptions.defaults("lowlevel-test").withReadOnly(false).withApi(FuseApi.LOW_LEVEL),
        Duration.ofSeconds(20));
  }

  @AfterEach
  void unmountIt() throws IOException {
    if (mount != null) {
      mount.close();
      assertTrue(MountTable.find(mnt).isEmpty(), "a mount was left behind on " + mnt);
    }
  }

  private void createInTree(String name, int size) throws IOException {
    var created = fs.memory.create(FileSystem.ROOT_INODE, name, 0644, new OpenFlags(OpenFlags.Access.WRITE, false, false, true, false));
    created.file().write(java.nio.ByteBuffer.allocate(size), 0);
    created.file().release();
  }

  @Test
  void eachReplyCarriesItsOwnLifetimeAndMissesAreCachedAsLongAsTheySay() throws IOException {
    createInTree("long", 10);
    createInTree("short", 10);
    fs.setLifetime("long", LONG);
    fs.setLifetime("short", Duration.ZERO);
    fs.setLifetime("absent-long", LONG);
    fs.setLifetime("absent-short", Duration.ZERO);
    for (int i = 0; i < 5; i++) {
      assertTrue(Files.exists(mnt.resolve("long")));
      assertTrue(Files.exists(mnt.resolve("short")));
      assertTrue(Files.notExists(mnt.resolve("absent-long")));
      assertTrue(Files.notExists(mnt.resolve("absent-short")));
    }
    assertEquals(1, fs.lookups("long"), "a 60 s entry is looked up once");
    assertEquals(5, fs.lookups("short"), "a 0 s entry is looked up at every use");
    assertEquals(1, fs.lookups("absent-long"), "a 60 s negative entry is a cached negative dentry");
    assertEquals(5, fs.lookups("absent-short"), "an uncached miss is asked again");
  }

  @Test
  void lsLongOfADirectoryNeedsNoLookupPerFile() throws Exception {
    long dir = fs.memory.mkdir(FileSystem.ROOT_INODE, "d", 0755).ino();
    fs.setLifetime("d", LONG);
    for (int i = 0; i < 300; i++) {
      String name = String.format("file-%03d", i);
      var created = fs.memory.create(dir, name, 0644, new OpenFlags(OpenFlags.Access.WRITE, false, false, true, false));
      created.file().write(java.nio.ByteBuffer.allocate(i), 0);
      created.file().release();
      fs.setLifetime(name, LONG);
    }
    assertTrue(Files.isDirectory(mnt.resolve("d")));
    int before = fs.lookupsOutsideListings();
    String out = FuseMountSupport.run(mnt, "ls", "-l", "-n", "d").requireSuccess().out();
    List<String> lines = out.lines().filter(l -> !l.startsWith("total")).toList();
    assertEquals(300, lines.size(), out);
    assertTrue(lines.get(7).matches("-rw-r--r-- +1 0 0 +7 .* file-007"), lines.get(7));
    assertEquals(before, fs.lookupsOutsideListings(), "readdirplus handed every file's attributes to the kernel with the listing");
    assertEquals(1, fs.lookups("file-123"), "one lookup per name, made while listing");
  }

  @Test
  void forgottenInodesLeaveTheLookupTable() throws Exception {
    LowLevelFrontEnd frontEnd = (LowLevelFrontEnd) mount.frontEnd();
    List<Long> inodes = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      Path f = Files.write(mnt.resolve("f" + i), new byte[] {1});
      inodes.add((Long) Files.getAttribute(f, "unix:ino"));
    }
    for (long ino : inodes) {
      assertTrue(frontEnd.lookupCount(ino) >= 1, "the kernel holds inode " + ino);
    }
    for (int i = 0; i < 50; i++) {
      Files.delete(mnt.resolve("f" + i));
    }
    // The kernel evicts an unlinked inode and sends FORGET (or BATCH_FORGET) for it soon after.
    Instant deadline = Instant.now().plus(FORGET_WAIT);
    while (inodes.stream().anyMatch(ino -> frontEnd.lookupCount(ino) > 0) && Instant.now().isBefore(deadline)) {
      Thread.sleep(20);
    }
    for (long ino : inodes) {
      assertEquals(0, frontEnd.lookupCount(ino), "inode " + ino + " was forgotten");
    }
  }

  @Test
  void readsAndWritesTravelInOneMebibyteRequests() throws Exception {
    fs.pageCache = PageCache.BYPASS;
    Path source = Files.write(temp.resolve("source"), random(4 << 20));
    FuseMountSupport.run(temp, "dd", "if=" + source, "of=" + mnt.resolve("big"), "bs=1M", "status=none").requireSuccess();
    FuseMountSupport.run(temp, "dd", "if=" + mnt.resolve("big"), "of=" + temp.resolve("back"), "bs=1M", "status=none").requireSuccess();
    assertTrue(java.util.Arrays.equals(Files.readAllBytes(source), Files.readAllBytes(temp.resolve("back"))));
    assertEquals(1 << 20, fs.largestWrite.get(), "write requests of 1 MiB");
    assertEquals(1 << 20, fs.largestRead.get(), "read requests of 1 MiB");
  }

  /**
   * The mount's read-ahead is raised to the 1 MiB a request may carry, and reads through the page
   * cache still return the file. How large the kernel then makes each read-ahead request is its own
   * choice (it depends on the file's read-ahead state, which earlier mounts in the same process were
   * seen to influence), so the request size is measured in bench/fuse, not asserted here.
   */
  @Test
  void theMountsReadAheadIsRaisedToOneMebibyte() throws Exception {
    assertTrue(FuseMountSupport.isRoot(), "the FUSE tests run as root, who may raise a mount's read-ahead");
    // Raised by the first request after INIT (INIT's reply would set it back): a stat of the root is one.
    assertTrue(Files.isDirectory(mnt));
    String device = ReadAhead.device(Files.readString(Path.of("/proc/self/mountinfo")), mnt).orElseThrow();
    String readAhead = Files.readString(Path.of("/sys/class/bdi", device, "read_ahead_kb"));
    assertEquals("1024", readAhead.strip());
    byte[] data = random(8 << 20);
    Files.write(mnt.resolve("cached"), data);
    // The write leaves the file's pages cached; drop them so the read below has to ask the filesystem.
    FuseMountSupport.run(temp, "dd", "if=" + mnt.resolve("cached"), "iflag=nocache", "count=0", "status=none").requireSuccess();
    fs.largestRead.set(0);
    FuseMountSupport.run(temp, "dd", "if=" + mnt.resolve("cached"), "of=" + temp.resolve("back"), "bs=1M", "status=none")
        .requireSuccess();
    assertTrue(java.util.Arrays.equals(data, Files.readAllBytes(temp.resolve("back"))));
    assertTrue(fs.largestRead.get() >= 128 << 10, "reads reached the filesystem: " + fs.largestRead.get());
  }

  @Test
  void theFilesystemCanDropPagesTheKernelKeeps() throws Exception {
    byte[] before = "A".repeat(8192).getBytes(StandardCharsets.US_ASCII);
    byte[] after = "B".repeat(8192).getBytes(StandardCharsets.US_ASCII);
    Path kept = Files.write(mnt.resolve("kept"), before);
    long ino = (Long) Files.getAttribute(kept, "unix:ino");
    fs.memory.setPageCache(ino, PageCache.KEEP);
    assertArrayEquals(before, Files.readAllBytes(kept), "the first read fills the page cache");
    fs.memory.replaceContentSilently(ino, after);
    assertArrayEquals(before, Files.readAllBytes(kept), "keep_cache: the kernel serves its pages");
    assertTrue(fs.kernelCache != null, "the front end attached its kernel cache");
    fs.kernelCache.invalidateInode(ino);
    assertArrayEquals(after, awaitContent(kept, after), "after the invalidation the kernel reads the new bytes");
  }

  @Test
  void theFilesystemCanDropANameTheKernelRemembers() throws Exception {
    createInTree("remembered", 3);
    fs.setLifetime("remembered", LONG);
    assertTrue(Files.exists(mnt.resolve("remembered")));
    fs.memory.unlink(FileSystem.ROOT_INODE, "remembered");
    assertTrue(Files.exists(mnt.resolve("remembered")), "the kernel trusts its 60 s entry");
    int lookups = fs.lookups("remembered");
    fs.kernelCache.invalidateEntry(FileSystem.ROOT_INODE, "remembered");
    Instant deadline = Instant.now().plus(FORGET_WAIT);
    while (Files.exists(mnt.resolve("remembered")) && Instant.now().isBefore(deadline)) {
      Thread.sleep(20);
    }
    assertTrue(Files.notExists(mnt.resolve("remembered")), "the name was looked up again and is gone");
    assertTrue(fs.lookups("remembered") > lookups);
  }

  private static byte[] awaitContent(Path p, byte[] wanted) throws Exception {
    Instant deadline = Instant.now().plus(FORGET_WAIT);
    byte[] seen = Files.readAllBytes(p);
    while (!java.util.Arrays.equals(seen, wanted) && Instant.now().isBefore(deadline)) {
      Thread.sleep(20);
      seen = Files.readAllBytes(p);
    }
    return seen;
  }

  @Test
  void aJvmToldToStopUnmountsOnItsWay() throws Exception {
    mount.close();
    mount = null;
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
        "-Dkeepfs.fuse.api=lowlevel", "-cp", System.getProperty("java.class.path"),
        "org.keepfs.client.fuse.MemoryMountMain", mnt.toString()).redirectErrorStream(true).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      String line;
      while ((line = out.readLine()) != null && !line.equals("mounted")) {
        // log lines before the mount is up
      }
      assertEquals("mounted", line, "the child mounted");
      assertTrue(MountTable.find(mnt).isPresent());
      Files.writeString(mnt.resolve("x"), "written by the test");
      child.destroy();
      assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child exited on SIGTERM");
      assertTrue(MountTable.find(mnt).isEmpty(), "its shutdown hook unmounted " + mnt);
    } finally {
      child.destroyForcibly().waitFor();
      if (MountTable.find(mnt).isPresent()) {
        FuseMountSupport.run(temp, "fusermount", "-u", "-z", mnt.toString());
      }
    }
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    new java.util.Random(n).nextBytes(b);
    return b;
  }
}
