package org.keepfs.client.fuse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.keepfs.client.fuse.FuseMountSupport.run;
import static org.keepfs.client.fuse.FuseMountSupport.sh;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;
import org.keepfs.client.fs.MemoryFileSystem;
import org.keepfs.client.fs.PageCache;

/** A real mount of an in-memory tree, driven through java.nio and ordinary programs, through each FUSE API. */
@ParameterizedClass(name = "{0}")
@EnumSource(FuseApi.class)
class FuseMountTest {
  @Parameter FuseApi api;

  private static final Duration MOUNT_TIMEOUT = Duration.ofSeconds(20);

  @TempDir Path temp;
  private MemoryFileSystem fs;
  private Path mnt;
  private FuseMount mount;

  @BeforeEach
  void mountTree() throws IOException {
    FuseMountSupport.assumeFuseUsable();
    fs = new MemoryFileSystem();
    mnt = Files.createDirectory(temp.resolve("mnt"));
    mount = FuseMount.mount(fs, mnt, MountOptions.defaults("memory-test").withReadOnly(false).withApi(api), MOUNT_TIMEOUT);
  }

  @AfterEach
  void unmount() throws IOException {
    if (mount != null) {
      mount.close();
      assertTrue(MountTable.find(mnt).isEmpty(), "a mount was left behind on " + mnt);
    }
  }

  @Test
  void mountIsListedWithFsnameAndSubtype() throws IOException {
    MountInfo info = MountTable.find(mnt).orElseThrow();
    assertEquals("fuse.keepfs", info.fsType());
    assertEquals("memory-test", info.source());
  }

  @Test
  void nioWritesAndReadsBytesBack() throws IOException {
    byte[] data = random(2 * 1024 * 1024 + 4321, 1);
    Path f = mnt.resolve("data.bin");
    Files.write(f, data);
    assertEquals(data.length, Files.size(f));
    assertArrayEquals(data, Files.readAllBytes(f));
    try (Stream<Path> list = Files.list(mnt)) {
      assertEquals(List.of("data.bin"), list.map(p -> p.getFileName().toString()).toList());
    }
  }

  @Test
  void lsLongShowsNamesSizesAndModes() throws Exception {
    Files.write(mnt.resolve("small"), new byte[17]);
    Files.createDirectory(mnt.resolve("sub"));
    run(mnt, "chmod", "640", "small").requireSuccess();
    String out = run(mnt, "ls", "-l", "-n", mnt.toString()).requireSuccess().out();
    List<String> lines = out.lines().filter(l -> !l.startsWith("total")).toList();
    assertEquals(2, lines.size(), out);
    assertTrue(lines.get(0).matches("-rw-r----- +1 0 0 +17 .* small"), lines.get(0));
    assertTrue(lines.get(1).matches("drwx.* +2 0 0 .* sub"), lines.get(1));
  }

  @Test
  void ddAndCatMoveExactBytes() throws Exception {
    byte[] data = random(3 * 1024 * 1024 + 12345, 2);
    Path source = Files.write(temp.resolve("source"), data);
    run(temp, "dd", "if=" + source, "of=" + mnt.resolve("copy"), "bs=1M", "status=none").requireSuccess();
    assertArrayEquals(data, Files.readAllBytes(mnt.resolve("copy")));
    sh(temp, "cat " + mnt.resolve("copy") + " > back").requireSuccess();
    assertArrayEquals(data, Files.readAllBytes(temp.resolve("back")));
    run(temp, "dd", "if=" + mnt.resolve("copy"), "of=back2", "bs=128k", "skip=3", "status=none").requireSuccess();
    byte[] tail = Files.readAllBytes(temp.resolve("back2"));
    assertArrayEquals(java.util.Arrays.copyOfRange(data, 3 * 128 * 1024, data.length), tail);
  }

  @Test
  void statReportsTheFilesystemsAttributes() throws Exception {
    Files.write(mnt.resolve("f"), new byte[1000]);
    Files.createDirectories(mnt.resolve("d/e"));
    String file = run(mnt, "stat", "-c", "%s %F %a %h", "f").requireSuccess().out().strip();
    assertEquals("1000 regular file 644 1", file.replace("regular empty file", "regular file").replace(" 664 ", " 644 "));
    String dir = run(mnt, "stat", "-c", "%F %h", "d").requireSuccess().out().strip();
    assertEquals("directory 3", dir);
    long ino = (Long) Files.getAttribute(mnt.resolve("f"), "unix:ino");
    long dirIno = (Long) Files.getAttribute(mnt.resolve("d"), "unix:ino");
    assertTrue(ino > 1 && dirIno > 1 && ino != dirIno, "inode numbers come from the filesystem: " + ino + ", " + dirIno);
    String fsStat = run(mnt, "stat", "-f", "-c", "%S %l", ".").requireSuccess().out().strip();
    assertEquals("4096 255", fsStat);
  }

  @Test
  void mkdirMvAndRmChangeTheTree() throws Exception {
    run(mnt, "mkdir", "-p", "a/b/c").requireSuccess();
    Files.writeString(mnt.resolve("a/b/c/note"), "hello");
    run(mnt, "mv", "a/b", "a/moved").requireSuccess();
    assertEquals("hello", Files.readString(mnt.resolve("a/moved/c/note")));
    assertFalse(Files.exists(mnt.resolve("a/b")));
    run(mnt, "mv", "a/moved/c/note", "renamed").requireSuccess();
    assertEquals("hello", Files.readString(mnt.resolve("renamed")));
    run(mnt, "rm", "renamed").requireSuccess();
    run(mnt, "rm", "-r", "a").requireSuccess();
    try (Stream<Path> list = Files.list(mnt)) {
      assertEquals(0, list.count());
    }
    assertEquals(1, fs.nodeCount(), "only the root is left");
  }

  @Test
  void cpRecursiveCopiesATreeBothWays() throws Exception {
    Path src = Files.createDirectories(temp.resolve("src/x/y"));
    Files.write(src.resolve("big"), random(1536 * 1024 + 7, 3));
    Files.write(temp.resolve("src/empty"), new byte[0]);
    Files.writeString(temp.resolve("src/x/text"), "some text\n");
    Files.createDirectories(temp.resolve("src/emptydir"));
    Files.createSymbolicLink(temp.resolve("src/x/link"), Path.of("text"));
    run(temp, "cp", "-r", "src", mnt.resolve("dst").toString()).requireSuccess();
    run(temp, "diff", "-r", "--no-dereference", "src", mnt.resolve("dst").toString()).requireSuccess();
    assertEquals("text", Files.readSymbolicLink(mnt.resolve("dst/x/link")).toString());
    run(temp, "cp", "-r", mnt.resolve("dst").toString(), "back").requireSuccess();
    run(temp, "diff", "-r", "--no-dereference", "src", "back").requireSuccess();
  }

  @Test
  void errorsReachProgramsAsTheirErrno() throws Exception {
    FuseMountSupport.Result cat = run(mnt, "cat", "missing");
    assertEquals(1, cat.exit());
    assertTrue(cat.err().contains("No such file or directory"), cat.err());
    Files.createDirectories(mnt.resolve("full/inner"));
    FuseMountSupport.Result rmdir = run(mnt, "rmdir", "full");
    assertNotEquals(0, rmdir.exit());
    assertTrue(rmdir.err().contains("Directory not empty"), rmdir.err());
    assertThrows(DirectoryNotEmptyException.class, () -> Files.delete(mnt.resolve("full")));
    assertThrows(FileAlreadyExistsException.class, () -> Files.createDirectory(mnt.resolve("full")));
    assertThrows(NoSuchFileException.class, () -> Files.readAllBytes(mnt.resolve("full/nothing")));
    FuseMountSupport.Result notDir = run(mnt, "ls", "full/inner/x/y");
    assertNotEquals(0, notDir.exit());
  }

  @Test
  void truncateAndAppendChangeTheLength() throws Exception {
    Files.writeString(mnt.resolve("t"), "0123456789abcdef");
    run(mnt, "truncate", "-s", "10", "t").requireSuccess();
    assertEquals("0123456789", Files.readString(mnt.resolve("t")));
    sh(mnt, "printf XY >> t").requireSuccess();
    assertEquals("0123456789XY", Files.readString(mnt.resolve("t")));
    run(mnt, "truncate", "-s", "14", "t").requireSuccess();
    assertArrayEquals("0123456789XY\0\0".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(mnt.resolve("t")));
    try (FileChannel ch = FileChannel.open(mnt.resolve("t"), StandardOpenOption.WRITE)) {
      ch.truncate(3);
    }
    assertEquals("012", Files.readString(mnt.resolve("t")));
  }

  @Test
  void symlinksResolveAndReadBack() throws Exception {
    Files.writeString(mnt.resolve("target"), "pointed at");
    run(mnt, "ln", "-s", "target", "link").requireSuccess();
    assertEquals("target", run(mnt, "readlink", "link").requireSuccess().out().strip());
    assertEquals("pointed at", run(mnt, "cat", "link").requireSuccess().out());
  }

  @Test
  void anUnlinkedFileStaysUsableThroughItsHandle() throws Exception {
    byte[] data = random(300_000, 4);
    Path f = Files.write(mnt.resolve("doomed"), data);
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      Files.delete(f);
      assertFalse(Files.exists(f));
      assertEquals(data.length, ch.size(), "fstat still works");
      ByteBuffer buf = ByteBuffer.allocate(data.length);
      while (buf.hasRemaining() && ch.read(buf, buf.position()) > 0) {
        // positional reads until full
      }
      assertArrayEquals(data, buf.array());
      ch.write(ByteBuffer.wrap(new byte[] {7}), data.length);
      assertEquals(data.length + 1, ch.size(), "writes through the handle still work");
      try (Stream<Path> list = Files.list(mnt)) {
        List<String> names = list.map(p -> p.getFileName().toString()).toList();
        if (api == FuseApi.HIGH_LEVEL) {
          assertEquals(1, names.size(), names.toString());
          assertTrue(names.getFirst().startsWith(".fuse_hidden"), "libfuse 2 keeps the file under a hidden name: " + names);
        } else {
          assertEquals(List.of(), names, "the low-level API unlinks at once; the kernel keeps the inode for the handle");
        }
      }
    }
    // The kernel sends RELEASE after close(2) returns, so the hidden name goes shortly after.
    java.time.Instant deadline = java.time.Instant.now().plusSeconds(10);
    while (fs.nodeCount() > 1 && java.time.Instant.now().isBefore(deadline)) {
      Thread.sleep(20);
    }
    assertEquals(1, fs.nodeCount(), "the filesystem has unlinked the hidden name after the last close");
    try (Stream<Path> list = Files.list(mnt)) {
      assertEquals(List.of(), list.toList(), "and it is gone from the listing");
    }
  }

  @Test
  void keepCacheServesTheOldPagesAndDropCacheTheNewOnes() throws Exception {
    byte[] before = "A".repeat(8192).getBytes(StandardCharsets.US_ASCII);
    byte[] after = "B".repeat(8192).getBytes(StandardCharsets.US_ASCII);
    Path kept = Files.write(mnt.resolve("kept"), before);
    Path dropped = Files.write(mnt.resolve("dropped"), before);
    Path direct = Files.write(mnt.resolve("direct"), before);
    fs.setPageCache(ino(kept), PageCache.KEEP);
    fs.setPageCache(ino(direct), PageCache.BYPASS);
    for (Path p : List.of(kept, dropped, direct)) {
      assertArrayEquals(before, Files.readAllBytes(p), "first read fills the page cache: " + p);
      fs.replaceContentSilently(ino(p), after);
    }
    assertArrayEquals(before, Files.readAllBytes(kept), "keep_cache: the kernel serves the pages it has");
    assertArrayEquals(after, Files.readAllBytes(dropped), "without keep_cache an open drops the cached pages");
    assertArrayEquals(after, Files.readAllBytes(direct), "direct_io bypasses the page cache");
  }

  @Test
  void closeFallsBackToALazyUnmountWhenTheMountIsBusy() throws Exception {
    Files.createDirectory(mnt.resolve("busy"));
    Process holder = new ProcessBuilder("sleep", "300").directory(mnt.resolve("busy").toFile()).start();
    try {
      mount.close();
      assertTrue(MountTable.find(mnt).isEmpty(), "the lazy unmount detached the mount");
      assertTrue(mount.isServing(), "a program is still inside, so the loop keeps serving it");
    } finally {
      holder.destroyForcibly().waitFor();
    }
    java.time.Instant deadline = java.time.Instant.now().plusSeconds(30);
    while (mount.isServing() && java.time.Instant.now().isBefore(deadline)) {
      Thread.sleep(20);
    }
    assertFalse(mount.isServing(), "the loop ends once the last user of the detached mount has left");
  }

  @Test
  void aSecondMountOnTheSamePointIsRefusedWithTheReason() {
    IOException e = assertThrows(IOException.class,
        () -> FuseMount.mount(new MemoryFileSystem(), mnt, MountOptions.defaults("again").withApi(api), MOUNT_TIMEOUT));
    assertTrue(e.getMessage().contains("already mounted on " + mnt), e.getMessage());
  }

  @Test
  void aLargeDirectoryIsListedCompletelyAcrossReaddirCalls() throws Exception {
    // About 3000 entries with long names need many kernel readdir buffers, so the listing resumes from offsets.
    for (int i = 0; i < 3000; i++) {
      Files.write(mnt.resolve(String.format("entry-with-a-fairly-long-name-%05d", i)), new byte[0]);
    }
    List<String> names = run(mnt, "ls", "-1", "-f", ".").requireSuccess().out().lines().sorted().toList();
    assertEquals(3002, names.size(), "3000 entries plus . and ..");
    assertEquals(".", names.get(0));
    assertEquals("entry-with-a-fairly-long-name-00000", names.get(2));
    assertEquals("entry-with-a-fairly-long-name-02999", names.getLast());
    assertEquals(3000, names.stream().distinct().filter(n -> n.startsWith("entry")).count(), "no entry twice");
  }

  @Test
  void parallelReadersSeeTheSameBytes() throws Exception {
    byte[] data = random(8 * 1024 * 1024 + 17, 5);
    Files.write(mnt.resolve("shared"), data);
    String expected = run(temp, "md5sum", mnt.resolve("shared").toString()).requireSuccess().out().split(" ")[0];
    String script = "for i in 1 2 3 4 5 6; do md5sum " + mnt.resolve("shared") + " & done; wait";
    List<String> sums = sh(temp, script).requireSuccess().out().lines().map(l -> l.split(" ")[0]).toList();
    assertEquals(6, sums.size());
    assertTrue(sums.stream().allMatch(expected::equals), sums.toString());
  }

  @Test
  void aReadOnlyMountRefusesWrites() throws Exception {
    Files.writeString(mnt.resolve("existing"), "kept");
    mount.close();
    mount = FuseMount.mount(fs, mnt, MountOptions.defaults("read-only-test").withApi(api), MOUNT_TIMEOUT);
    assertEquals("kept", Files.readString(mnt.resolve("existing")));
    FuseMountSupport.Result touch = run(mnt, "touch", "new");
    assertNotEquals(0, touch.exit());
    assertTrue(touch.err().contains("Read-only file system"), touch.err());
    FuseMountSupport.Result rm = run(mnt, "rm", "existing");
    assertTrue(rm.err().contains("Read-only file system"), rm.err());
    assertTrue(Files.exists(mnt.resolve("existing")));
  }

  private static long ino(Path p) throws IOException {
    return (Long) Files.getAttribute(p, "unix:ino");
  }

  static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }
}
