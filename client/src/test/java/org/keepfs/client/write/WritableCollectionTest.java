package org.keepfs.client.write;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.keepfs.client.write.WriterFixture.APPEND;
import static org.keepfs.client.write.WriterFixture.EXCLUSIVE;
import static org.keepfs.client.write.WriterFixture.READ;
import static org.keepfs.client.write.WriterFixture.READ_WRITE;
import static org.keepfs.client.write.WriterFixture.WRITE;
import static org.keepfs.client.write.WriterFixture.WRITE_TRUNC;
import static org.keepfs.client.write.WriterFixture.manifest;
import static org.keepfs.client.write.WriterFixture.read;
import static org.keepfs.client.write.WriterFixture.readAll;
import static org.keepfs.client.write.WriterFixture.write;
import static org.keepfs.client.write.WriterFixture.writeAt;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.keepfs.manifest.Manifest;
import org.keepfs.posix.Errno;
import org.keepfs.posix.ErrnoException;

/** The POSIX behaviour of the writable tree, with the manifests of keep-arvados.md §4.1 and §1.8. */
class WritableCollectionTest {
  @TempDir Path spool;
  WriterFixture w;
  WritableCollection c;

  @BeforeEach
  void start() throws IOException {
    w = new WriterFixture(spool);
    c = WritableCollection.empty(w.ctx);
  }

  @AfterEach
  void stop() {
    w.close();
  }

  static void assertErrno(int errno, Executable e) {
    ErrnoException x = assertThrows(ErrnoException.class, e);
    assertEquals(errno, x.errno(), x.getMessage());
  }

  @Test
  void emptyCollectionIsTheEmptyManifest() throws IOException {
    assertEquals("", manifest(c));
  }

  @Test
  void scenario3CreateEmptyFile() throws IOException {
    c.open("file1.txt", WRITE, true).close();
    assertEquals(". d41d8cd98f00b204e9800998ecf8427e+0 0:0:file1.txt\n", manifest(c));
  }

  @Test
  void scenario4WriteHelloWorld() throws IOException {
    write(c, "file1.txt", "Hello world!", WRITE);
    assertEquals("Hello world!", read(c, "file1.txt"));
    assertEquals(". 86fb269d190d2c85f6e0468ceca42a20+12 0:12:file1.txt\n", manifest(c));
  }

  @Test
  void scenario5OverwriteWithRPlusPatchesSegments() throws IOException {
    write(c, "file1.txt", "Hello world!", WRITE);
    manifest(c);
    write(c, "file1.txt", "Hola mundo!", READ_WRITE);
    assertEquals("Hola mundo!!", read(c, "file1.txt"));
    assertEquals(". daaef200ebb921e011e3ae922dd3266b+11 86fb269d190d2c85f6e0468ceca42a20+12 0:11:file1.txt 22:1:file1.txt\n",
        manifest(c));
  }

  @Test
  void scenario7Mkdir() throws IOException {
    assertErrno(Errno.ENOENT, () -> write(c, "testdir/file1.txt", "x", WRITE));
    c.mkdir("testdir");
    assertErrno(Errno.EEXIST, () -> c.mkdir("testdir"));
    write(c, "testdir/file1.txt", "Hello world!", WRITE);
    assertEquals("./testdir 86fb269d190d2c85f6e0468ceca42a20+12 0:12:file1.txt\n", manifest(c));
  }

  @Test
  void scenario8RmdirAndEmptyDirectoryMarker() throws IOException {
    c.mkdir("testdir");
    write(c, "testdir/file1.txt", "Hello world!", WRITE);
    assertErrno(Errno.ENOTEMPTY, () -> c.rmdir("testdir"));
    c.unlink("testdir/file1.txt");
    assertEquals("./testdir d41d8cd98f00b204e9800998ecf8427e+0 0:0:\\056\n", manifest(c));
    c.rmdir("testdir");
    assertEquals("", manifest(c));
    assertErrno(Errno.ENOENT, () -> c.unlink("testdir/file1.txt"));
    assertErrno(Errno.ENOENT, () -> c.rmdir("testdir"));
  }

  @Test
  void scenario9MoveFileOutOfDirectoryAndRenameDirectory() throws IOException {
    c.mkdir("testdir");
    write(c, "testdir/file1.txt", "Hello world!", WRITE);
    c.rename("testdir/file1.txt", "file1.txt");
    assertEquals(". 86fb269d190d2c85f6e0468ceca42a20+12 0:12:file1.txt\n./testdir d41d8cd98f00b204e9800998ecf8427e+0 0:0:\\056\n",
        manifest(c));
    c.rename("testdir", "testdir2");
    assertEquals(". 86fb269d190d2c85f6e0468ceca42a20+12 0:12:file1.txt\n./testdir2 d41d8cd98f00b204e9800998ecf8427e+0 0:0:\\056\n",
        manifest(c));
  }

  @Test
  void scenario12UnlinkedOpenFileStaysReadableAndWritableAndIsNotCommitted() throws IOException {
    try (FileHandle h = c.open("file1.txt", READ_WRITE, true)) {
      h.write(ByteBuffer.wrap("foo".getBytes(StandardCharsets.UTF_8)), 0);
      c.unlink("file1.txt");
      h.write(ByteBuffer.wrap("bar".getBytes(StandardCharsets.UTF_8)), 3);
      ByteBuffer b = ByteBuffer.allocate(6);
      assertEquals(6, h.read(b, 0));
      assertEquals("foobar", new String(b.array(), StandardCharsets.UTF_8));
      assertEquals("", manifest(c));
    }
    assertEquals("", manifest(c));
    assertTrue(c.stat("file1.txt").isEmpty());
  }

  @Test
  void scenario19RewriteIsPackedWithoutTheOverwrittenBytes() throws IOException {
    write(c, "b1", "b1", WRITE_TRUNC);
    write(c, "b2", "b2", WRITE_TRUNC);
    write(c, "b1", "1b", WRITE_TRUNC);
    assertEquals(". ed4f3f67c70b02b29c50ce1ea26666bd+4 0:2:b1 2:2:b2\n", manifest(c));
    assertEquals(4, w.store.bytesPut());
  }

  @Test
  void smallFilesArePackedIntoOneBlock() throws IOException {
    write(c, "count.txt", "0123456789", WRITE);
    write(c, "foo.txt", "foo", WRITE);
    assertEquals(". a8430a058b8fbf408e1931b794dbd6fb+13 0:10:count.txt 10:3:foo.txt\n", manifest(c));
    assertEquals(1, w.store.puts());
  }

  @Test
  void overwriteAfterPackingUploadsOnlyTheNewBytes() throws IOException {
    write(c, "count.txt", "0123456789", WRITE);
    write(c, "foo.txt", "foo", WRITE);
    manifest(c);
    write(c, "count.txt", "abc", READ_WRITE);
    assertEquals("abc3456789", read(c, "count.txt"));
    assertEquals(". 900150983cd24fb0d6963f7d28e17f72+3 a8430a058b8fbf408e1931b794dbd6fb+13 0:3:count.txt 6:7:count.txt 13:3:foo.txt\n",
        manifest(c));
  }

  @Test
  void onlySmallFilesArePackedTogether() throws IOException {
    byte[] big = new byte[34603008];
    Arrays.fill(big, (byte) 'x');
    writeAt(c, "bigfile.txt", 0, big);
    write(c, "count.txt", "0123456789", WRITE);
    write(c, "foo.txt", "foo", WRITE);
    assertEquals(". 2d303c138c118af809f39319e5d507e9+34603008 a8430a058b8fbf408e1931b794dbd6fb+13 "
        + "0:34603008:bigfile.txt 34603008:10:count.txt 34603018:3:foo.txt\n", manifest(c));
  }

  @Test
  void writesPastTheEndLeaveZerosAndTruncateCutsAndExtends() throws IOException {
    writeAt(c, "f", 0, "abc".getBytes(StandardCharsets.UTF_8));
    writeAt(c, "f", 5, "xyz".getBytes(StandardCharsets.UTF_8));
    assertArrayEquals(new byte[] {'a', 'b', 'c', 0, 0, 'x', 'y', 'z'}, readAll(c, "f"));
    c.truncate("f", 2);
    assertEquals("ab", read(c, "f"));
    c.truncate("f", 4);
    assertArrayEquals(new byte[] {'a', 'b', 0, 0}, readAll(c, "f"));
    assertEquals(4, c.stat("f").orElseThrow().size());
    assertErrno(Errno.EINVAL, () -> c.truncate("f", -1));
    assertEquals(". " + md5("ab\0\0") + "+4 0:4:f\n", manifest(c));
  }

  @Test
  void openFlagsTruncAppendExcl() throws IOException {
    write(c, "f", "hello", WRITE);
    try (FileHandle h = c.open("f", APPEND, false)) {
      h.write(ByteBuffer.wrap(" world".getBytes(StandardCharsets.UTF_8)), 0);
    }
    assertEquals("hello world", read(c, "f"));
    assertErrno(Errno.EEXIST, () -> c.open("f", EXCLUSIVE, true));
    c.open("f", WRITE_TRUNC, false).close();
    assertEquals("", read(c, "f"));
    assertErrno(Errno.ENOENT, () -> c.open("missing", READ, false));
    try (FileHandle r = c.open("f", READ, false)) {
      assertErrno(Errno.EBADF, () -> r.write(ByteBuffer.wrap(new byte[1]), 0));
      assertErrno(Errno.EBADF, () -> r.truncate(0));
    }
    try (FileHandle wo = c.open("f", WRITE, false)) {
      assertErrno(Errno.EBADF, () -> wo.read(ByteBuffer.allocate(1), 0));
    }
    FileHandle closed = c.open("f", READ, false);
    closed.close();
    assertErrno(Errno.EBADF, () -> closed.read(ByteBuffer.allocate(1), 0));
  }

  @Test
  void renameFollowsRename2() throws IOException {
    write(c, "a", "A", WRITE);
    write(c, "b", "B", WRITE);
    c.rename("a", "b");
    assertEquals("A", read(c, "b"));
    assertTrue(c.stat("a").isEmpty());
    c.mkdir("d");
    c.mkdir("d/sub");
    write(c, "d/sub/x", "X", WRITE);
    c.mkdir("empty");
    c.mkdir("full");
    write(c, "full/y", "Y", WRITE);
    assertErrno(Errno.EINVAL, () -> c.rename("d", "d/sub/inside"));
    assertErrno(Errno.ENOTEMPTY, () -> c.rename("d", "full"));
    assertErrno(Errno.EISDIR, () -> c.rename("b", "empty"));
    assertErrno(Errno.ENOTDIR, () -> c.rename("d", "b"));
    assertErrno(Errno.ENOENT, () -> c.rename("nope", "x"));
    assertErrno(Errno.ENOENT, () -> c.rename("b", "no/such/dir"));
    c.rename("d", "empty");
    assertEquals(List.of("b", "empty", "full"), c.list(""));
    assertEquals("X", read(c, "empty/sub/x"));
    c.rename("b", "b");
    assertEquals("A", read(c, "b"));
  }

  @Test
  void renamedOverFileStaysReadableThroughOpenHandle() throws IOException {
    write(c, "old", "old data", WRITE);
    write(c, "new", "new", WRITE);
    try (FileHandle h = c.open("old", READ, false)) {
      c.rename("new", "old");
      ByteBuffer b = ByteBuffer.allocate(8);
      h.read(b, 0);
      assertEquals("old data", new String(b.array(), StandardCharsets.UTF_8));
    }
    assertEquals("new", read(c, "old"));
  }

  @Test
  void badPathsAndKinds() throws IOException {
    write(c, "f", "x", WRITE);
    c.mkdir("d");
    assertErrno(Errno.EISDIR, () -> c.open("d", WRITE, false));
    assertErrno(Errno.EISDIR, () -> c.unlink("d"));
    assertErrno(Errno.ENOTDIR, () -> c.rmdir("f"));
    assertErrno(Errno.ENOTDIR, () -> c.open("f/x", WRITE, true));
    assertErrno(Errno.EBUSY, () -> c.rmdir(""));
    assertErrno(Errno.EINVAL, () -> c.mkdir("a/../b"));
    assertErrno(Errno.ENAMETOOLONG, () -> c.mkdir("n".repeat(300)));
  }

  @Test
  void loadsAManifestAndCommitsItUnchanged() throws IOException {
    String text = ". 3858f62230ac3c915f300c664312c63f+6 0:3:foo.txt 3:3:bar.txt\n./baz 73feffa4b7f6bb68e44cf984c85f6e88+3 0:3:baz.txt\n";
    WritableCollection loaded = WritableCollection.of(Manifest.parse(text).root(), w.ctx);
    assertEquals(List.of("bar.txt", "baz", "foo.txt"), loaded.list(""));
    assertEquals(Manifest.parse(text).normalizedText().length, manifest(loaded).length());
    assertTrue(Manifest.parse(manifest(loaded)).sameTreeAs(Manifest.parse(text)));
    assertEquals(0, w.store.puts());
  }

  @Test
  void largeSequentialWriteFillsFullBlocks() throws IOException {
    byte[] chunk = new byte[1 << 20];
    try (FileHandle h = c.open("big", WRITE, true)) {
      for (int i = 0; i < 130; i++) {
        Arrays.fill(chunk, (byte) i);
        h.write(ByteBuffer.wrap(chunk), (long) i << 20);
      }
    }
    Manifest m = Manifest.parse(manifest(c));
    var segments = ((org.keepfs.manifest.File) m.lookup("big").orElseThrow()).segments();
    assertEquals(3, segments.size());
    assertEquals(64L << 20, segments.get(0).length());
    assertEquals(64L << 20, segments.get(1).length());
    assertEquals(2L << 20, segments.get(2).length());
    assertEquals(130L << 20, w.store.bytesPut());
    byte[] back = readAll(c, "big");
    assertEquals((byte) 129, back[back.length - 1]);
    assertEquals((byte) 64, back[64 << 20]);
    assertFalse(c.stat("big").orElseThrow().directory());
  }

  @Test
  void randomOverwritesInsideABufferAreSqueezedOut() throws IOException {
    byte[] page = new byte[4096];
    long fileSize = 8L << 20;
    try (FileHandle h = c.open("rand", READ_WRITE, true)) {
      h.truncate(fileSize);
      java.util.Random random = new java.util.Random(42);
      for (int i = 0; i < 40000; i++) {
        random.nextBytes(page);
        h.write(ByteBuffer.wrap(page), (random.nextLong(fileSize / 4096)) * 4096);
      }
      assertEquals(fileSize, h.size());
    }
    manifest(c);
    // 40000 pages of 4 KiB is 156 MiB written into an 8 MiB file: far less than that may reach Keep.
    assertTrue(w.store.bytesPut() < 4 * (64L << 20), "uploaded " + w.store.bytesPut());
  }

  static String md5(String s) throws IOException {
    try {
      var md = java.security.MessageDigest.getInstance("MD5");
      return java.util.HexFormat.of().formatHex(md.digest(s.getBytes(StandardCharsets.ISO_8859_1)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IOException(e);
    }
  }
}
