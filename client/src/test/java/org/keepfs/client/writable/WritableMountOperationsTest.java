package org.keepfs.client.writable;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.keepfs.client.writable.WritableMounts.run;
import static org.keepfs.client.writable.WritableMounts.sh;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keepfs.client.fuse.FuseMountSupport;

/**
 * Every file operation through a real FUSE mount of a writable collection, with the manifest the
 * gateway holds after a commit checked exactly (the scenarios of keep-arvados.md §4.1).
 */
class WritableMountOperationsTest {
  static final String HELLO = ". 86fb269d190d2c85f6e0468ceca42a20+12 0:12:file1.txt\n";
  static final String EMPTY_DIR_BLOCK = "d41d8cd98f00b204e9800998ecf8427e+0";

  @TempDir Path dir;
  WritableMounts mounts;
  WritableMounts.Mounted m;
  Path mnt;

  @BeforeEach
  void start() throws Exception {
    FuseMountSupport.assumeFuseUsable();
    mounts = WritableMounts.start(dir);
    m = mounts.mount("c", "mnt");
    mnt = m.mnt();
  }

  @AfterEach
  void stop() throws Exception {
    if (mounts != null) {
      mounts.close();
    }
  }

  String commitAndManifest() throws Exception {
    sh(mnt, "echo 1 > .arv/commit");
    return mounts.manifest("c");
  }

  @Test
  void scenarios3And4CreateAnEmptyFileThenWriteHelloWorld() throws Exception {
    sh(mnt, "touch file1.txt");
    assertEquals(". d41d8cd98f00b204e9800998ecf8427e+0 0:0:file1.txt\n", commitAndManifest());
    sh(mnt, "printf 'Hello world!' > file1.txt");
    assertEquals("Hello world!", Files.readString(m.path("file1.txt")));
    assertEquals(HELLO, commitAndManifest());
    assertEquals(mounts.head("c").orElseThrow().pdh() + "\n", Files.readString(m.path(".arv/hash")));
  }

  @Test
  void scenario5OverwriteInPlacePatchesTheSegments() throws Exception {
    sh(mnt, "printf 'Hello world!' > file1.txt");
    assertEquals(HELLO, commitAndManifest());
    sh(mnt, "printf 'Hola mundo!' | dd of=file1.txt conv=notrunc status=none");
    assertEquals("Hola mundo!!", Files.readString(m.path("file1.txt")));
    assertEquals(". daaef200ebb921e011e3ae922dd3266b+11 86fb269d190d2c85f6e0468ceca42a20+12 0:11:file1.txt 22:1:file1.txt\n",
        commitAndManifest());
  }

  @Test
  void scenario7MkdirRefusesTwiceAndWritesIntoMissingDirectoriesFail() throws Exception {
    assertNotEquals(0, run(mnt, "echo x > missing/file1.txt").exit());
    sh(mnt, "mkdir testdir");
    WritableMounts.Result again = run(mnt, "mkdir testdir");
    assertNotEquals(0, again.exit());
    assertTrue(again.err().contains("File exists"), again.err());
    sh(mnt, "printf 'Hello world!' > testdir/file1.txt");
    assertEquals("./testdir 86fb269d190d2c85f6e0468ceca42a20+12 0:12:file1.txt\n", commitAndManifest());
  }

  @Test
  void scenario8RmdirNeedsAnEmptyDirectoryAndEmptyDirectoriesSurviveCommit() throws Exception {
    sh(mnt, "mkdir testdir && printf 'Hello world!' > testdir/file1.txt");
    WritableMounts.Result notEmpty = run(mnt, "rmdir testdir");
    assertNotEquals(0, notEmpty.exit());
    assertTrue(notEmpty.err().contains("not empty"), notEmpty.err());
    sh(mnt, "rm testdir/file1.txt");
    assertEquals("./testdir " + EMPTY_DIR_BLOCK + " 0:0:\\056\n", commitAndManifest());
    sh(mnt, "rmdir testdir");
    assertEquals("", commitAndManifest());
    assertNotEquals(0, run(mnt, "rmdir testdir").exit());
    assertNotEquals(0, run(mnt, "rm testdir/file1.txt").exit());
  }

  @Test
  void scenario9MoveAFileOutOfItsDirectoryThenRenameTheDirectory() throws Exception {
    sh(mnt, "mkdir testdir && printf 'Hello world!' > testdir/file1.txt");
    sh(mnt, "mv testdir/file1.txt .");
    assertEquals(HELLO + "./testdir " + EMPTY_DIR_BLOCK + " 0:0:\\056\n", commitAndManifest());
    sh(mnt, "mv testdir testdir2");
    assertEquals(HELLO + "./testdir2 " + EMPTY_DIR_BLOCK + " 0:0:\\056\n", commitAndManifest());
    assertFalse(Files.exists(m.path("testdir")));
  }

  @Test
  void scenario12AnUnlinkedOpenFileStaysReadableAndWritableAndIsNotCommitted() throws Exception {
    Path f = m.path("file1.txt");
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap("foo".getBytes(StandardCharsets.UTF_8)), 0);
      Files.delete(f);
      assertFalse(Files.exists(f));
      ch.write(ByteBuffer.wrap("bar".getBytes(StandardCharsets.UTF_8)), 3);
      ByteBuffer back = ByteBuffer.allocate(6);
      ch.read(back, 0);
      assertEquals("foobar", new String(back.array(), StandardCharsets.UTF_8));
      assertEquals(6, ch.size(), "fstat through the handle still works");
      assertEquals("", commitAndManifest(), "neither the name nor libfuse's .fuse_hidden stand-in is committed");
    }
    assertEquals("", sh(mnt, "ls -A | grep -v '^.arv$' || true"), "the hidden name went with the last close");
    assertEquals("", commitAndManifest());
  }

  @Test
  void openFlagsTruncateAppendExclusiveAndReadWrite() throws Exception {
    sh(mnt, "echo 'a long first line' > t && echo x > t");
    assertEquals("x\n", Files.readString(m.path("t")), "O_TRUNC");
    sh(mnt, "echo a > ap && echo b >> ap && echo c >> ap");
    assertEquals("a\nb\nc\n", Files.readString(m.path("ap")), "O_APPEND");
    assertThrows(FileAlreadyExistsException.class, () -> Files.newByteChannel(m.path("ap"), StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE).close(), "O_EXCL");
    WritableMounts.Result noclobber = run(mnt, "set -C; echo again > ap");
    assertNotEquals(0, noclobber.exit(), "the shell's noclobber uses O_EXCL");
    try (FileChannel ch = FileChannel.open(m.path("ap"), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap("B".getBytes(StandardCharsets.UTF_8)), 2);
      ByteBuffer all = ByteBuffer.allocate(6);
      ch.read(all, 0);
      assertEquals("a\nB\nc\n", new String(all.array(), StandardCharsets.UTF_8), "r+ reads what it wrote");
    }
    try (FileChannel ch = FileChannel.open(m.path("t"), StandardOpenOption.READ, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      assertEquals(0, ch.size(), "w+ empties the file");
      ch.write(ByteBuffer.wrap("w+".getBytes(StandardCharsets.UTF_8)), 0);
    }
    assertEquals(". " + md5("a\nB\nc\nw+") + "+8 0:6:ap 6:2:t\n", commitAndManifest());
  }

  @Test
  void writesPastTheEndLeaveZerosAndTruncateGoesBothWays() throws Exception {
    try (FileChannel ch = FileChannel.open(m.path("sparse"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap("ab".getBytes(StandardCharsets.UTF_8)), 0);
      ch.write(ByteBuffer.wrap("z".getBytes(StandardCharsets.UTF_8)), 10);
    }
    byte[] expected = new byte[11];
    expected[0] = 'a';
    expected[1] = 'b';
    expected[10] = 'z';
    assertArrayEquals(expected, Files.readAllBytes(m.path("sparse")));
    sh(mnt, "printf 0123456789 > tr && truncate -s 4 tr && truncate -s 6 tr");
    assertArrayEquals(new byte[] {'0', '1', '2', '3', 0, 0}, Files.readAllBytes(m.path("sparse").resolveSibling("tr")));
    byte[] packed = new byte[17];
    System.arraycopy(expected, 0, packed, 0, 11);
    System.arraycopy(new byte[] {'0', '1', '2', '3', 0, 0}, 0, packed, 11, 6);
    assertEquals(". " + md5(packed) + "+17 0:11:sparse 11:6:tr\n", commitAndManifest());
  }

  @Test
  void renameReplacesFilesAndEmptyDirectoriesButNotFullOnes() throws Exception {
    sh(mnt, "printf new > a && printf old > b && mkdir d1 d2 d3 && printf x > d2/x");
    sh(mnt, "mv -T a b");
    assertEquals("new", Files.readString(m.path("b")));
    assertFalse(Files.exists(m.path("a")));
    WritableMounts.Result full = run(mnt, "mv -T d1 d2");
    assertNotEquals(0, full.exit());
    assertTrue(full.err().contains("not empty") || full.err().contains("Directory not empty"), full.err());
    sh(mnt, "mv -T d1 d3");
    assertFalse(Files.exists(m.path("d1")));
    assertNotEquals(0, run(mnt, "mv -T b d2").exit(), "a file cannot replace a directory");
    assertNotEquals(0, run(mnt, "mv d2 d2/inside").exit(), "a directory cannot move into itself");
    assertEquals(". " + md5("newx") + "+4 0:3:b\n./d2 " + md5("newx") + "+4 3:1:x\n./d3 " + EMPTY_DIR_BLOCK + " 0:0:\\056\n",
        commitAndManifest());
  }

  @Test
  void theControlDirectoryIsFixedAndNotPartOfTheCollection() throws Exception {
    assertTrue(sh(mnt, "ls -a").contains(".arv\n"));
    assertEquals("commit\ndirty\nhash\n", sh(mnt, "ls .arv"));
    assertEquals("1\n", Files.readString(m.path(".arv/dirty")), "a new collection is dirty until its first commit");
    assertEquals("", Files.readString(m.path(".arv/hash")));
    assertNotEquals(0, run(mnt, "rm -rf .arv").exit());
    assertNotEquals(0, run(mnt, "mv .arv moved").exit());
    assertNotEquals(0, run(mnt, "mkdir x && mv x .arv").exit());
    assertNotEquals(0, run(mnt, "touch .arv/extra").exit());
    assertNotEquals(0, run(mnt, "echo 1 > .arv/dirty").exit());
    assertNotEquals(0, run(mnt, "mkdir .arv").exit());
    assertTrue(Files.isDirectory(m.path(".arv")));
    assertEquals("./x " + EMPTY_DIR_BLOCK + " 0:0:\\056\n", commitAndManifest());
    assertEquals("0\n", Files.readString(m.path(".arv/dirty")));
    sh(mnt, "echo y > y");
    assertEquals("1\n", Files.readString(m.path(".arv/dirty")));
  }

  @Test
  void whatAManifestCannotHoldIsRefusedOrKeptOnlyForTheMount() throws Exception {
    WritableMounts.Result link = run(mnt, "echo a > target && ln -s target link");
    assertNotEquals(0, link.exit());
    assertTrue(link.err().contains("Operation not permitted"), link.err());
    sh(mnt, "chmod 700 target && touch -d '2020-01-01 00:00:00 UTC' target");
    assertEquals("700 1577836800\n", sh(mnt, "stat -c '%a %Y' target"));
    sh(mnt, "chown 1234:5678 target && chown :4321 target");
    assertEquals("1234 4321\n", sh(mnt, "stat -c '%u %g' target"), "chown (as tar and rsync -a run by root do)");
    assertEquals(". " + md5("a\n") + "+2 0:2:target\n", commitAndManifest());
    String[] df = sh(mnt, "stat -f -c '%b %a %S' .").trim().split(" ");
    assertTrue(Long.parseLong(df[0]) > 0 && Long.parseLong(df[1]) > 0 && Long.parseLong(df[2]) > 0, String.join(" ", df));
  }

  @Test
  void committedFilesReadBackThroughTheBlockCache() throws Exception {
    byte[] data = new byte[3 << 20];
    new Random(5).nextBytes(data);
    Files.write(m.path("big.bin"), data);
    commitAndManifest();
    long beforeFirstRead = m.client().requestCount();
    assertArrayEquals(data, Files.readAllBytes(m.path("big.bin")));
    long requests = m.client().requestCount();
    assertTrue(requests > beforeFirstRead, "the first read after the upload fetched the block through the client's cache");
    assertArrayEquals(data, Files.readAllBytes(m.path("big.bin")));
    assertArrayEquals(data, Files.readAllBytes(m.path("big.bin")));
    assertEquals(requests, m.client().requestCount(), "the second and third reads came from the block cache");
  }

  static String md5(String s) throws Exception {
    return md5(s.getBytes(StandardCharsets.UTF_8));
  }

  static String md5(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
  }
}
