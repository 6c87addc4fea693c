package org.keepfs.client.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keepfs.posix.Errno;
import org.keepfs.posix.ErrnoException;

/**
 * What every writable {@link FileSystem} must do, checked through the interface alone. A test class
 * for an implementation extends this and supplies a fresh, empty filesystem.
 */
public abstract class FileSystemContract {
  private static final long ROOT = FileSystem.ROOT_INODE;
  private static final OpenFlags RW = new OpenFlags(OpenFlags.Access.READ_WRITE, false, false, false, false);
  private static final OpenFlags CREATE_EXCL = new OpenFlags(OpenFlags.Access.WRITE, false, false, true, false);

  protected FileSystem fs;

  /** A new, empty filesystem. */
  protected abstract FileSystem newFileSystem() throws IOException;

  @BeforeEach
  void fresh() throws IOException {
    fs = newFileSystem();
  }

  private Entry lookup(long parent, String name) throws IOException {
    return assertInstanceOf(Entry.class, fs.lookup(parent, name), name + " exists");
  }

  private static int errno(ThrowingCall call) {
    return assertThrows(ErrnoException.class, call::run).errno();
  }

  private interface ThrowingCall {
    void run() throws IOException;
  }

  private long file(long parent, String name, String content) throws IOException {
    Created c = fs.create(parent, name, 0644, CREATE_EXCL);
    byte[] b = content.getBytes(StandardCharsets.UTF_8);
    assertEquals(b.length, c.file().write(ByteBuffer.wrap(b), 0));
    c.file().release();
    return c.entry().ino();
  }

  private String read(long ino) throws IOException {
    OpenFile f = fs.open(ino, OpenFlags.READ_ONLY);
    try {
      ByteBuffer dst = ByteBuffer.allocate(1 << 16);
      int n = f.read(dst, 0);
      return new String(dst.array(), 0, n, StandardCharsets.UTF_8);
    } finally {
      f.release();
    }
  }

  private List<String> list(long dir) throws IOException {
    List<String> names = new ArrayList<>();
    fs.readdir(dir, 0, e -> names.add(e.name()));
    return names;
  }

  @Test
  void theRootIsADirectory() throws IOException {
    NodeAttributes root = fs.getattr(ROOT).attributes();
    assertEquals(NodeType.DIRECTORY, root.type());
    assertEquals(ROOT, root.ino());
  }

  @Test
  void aMissingNameIsANoEntryNotAnException() throws IOException {
    assertInstanceOf(NoEntry.class, fs.lookup(ROOT, "nothing"));
  }

  @Test
  void createdFilesReadBackAndReportTheirSize() throws IOException {
    long ino = file(ROOT, "f", "hello, world");
    assertEquals("hello, world", read(ino));
    assertEquals(12, fs.getattr(ino).attributes().size());
    assertEquals(ino, lookup(ROOT, "f").ino());
  }

  @Test
  void aHandleOnlyDoesWhatItWasOpenedFor() throws IOException {
    long ino = file(ROOT, "f", "data");
    OpenFile readOnly = fs.open(ino, OpenFlags.READ_ONLY);
    assertEquals(Errno.EBADF, errno(() -> readOnly.write(ByteBuffer.wrap(new byte[1]), 0)));
    readOnly.release();
    OpenFile writeOnly = fs.open(ino, new OpenFlags(OpenFlags.Access.WRITE, false, false, false, false));
    assertEquals(Errno.EBADF, errno(() -> writeOnly.read(ByteBuffer.allocate(1), 0)));
    writeOnly.release();
  }

  @Test
  void exclusiveCreateOfAnExistingNameIsEexist() throws IOException {
    file(ROOT, "f", "x");
    assertEquals(Errno.EEXIST, errno(() -> fs.create(ROOT, "f", 0644, CREATE_EXCL)));
    assertEquals(Errno.EEXIST, errno(() -> fs.mkdir(ROOT, "f", 0755)));
  }

  @Test
  void readsStopAtTheEndAndWritesPastItLeaveZeros() throws IOException {
    Created c = fs.create(ROOT, "sparse", 0644, new OpenFlags(OpenFlags.Access.READ_WRITE, false, false, true, false));
    c.file().write(ByteBuffer.wrap(new byte[] {9}), 5);
    ByteBuffer dst = ByteBuffer.allocate(100);
    assertEquals(6, c.file().read(dst, 0));
    assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 9}, java.util.Arrays.copyOf(dst.array(), 6));
    assertEquals(0, c.file().read(ByteBuffer.allocate(10), 6));
    c.file().release();
  }

  @Test
  void truncateShortensAndLengthensWithZeros() throws IOException {
    long ino = file(ROOT, "t", "0123456789");
    fs.truncate(ino, 4);
    assertEquals("0123", read(ino));
    fs.truncate(ino, 6);
    assertEquals("0123\0\0", read(ino));
  }

  @Test
  void directoriesHoldNamesAndListThemWithResumableOffsets() throws IOException {
    long dir = fs.mkdir(ROOT, "d", 0755).ino();
    for (int i = 0; i < 10; i++) {
      file(dir, "n" + i, "");
    }
    List<DirEntry> firstThree = new ArrayList<>();
    fs.readdir(dir, 0, e -> firstThree.add(e) && firstThree.size() < 3);
    assertEquals(3, firstThree.size());
    List<String> rest = new ArrayList<>();
    fs.readdir(dir, firstThree.get(2).nextOffset(), e -> rest.add(e.name()));
    List<String> all = new ArrayList<>(firstThree.stream().map(DirEntry::name).toList());
    all.addAll(rest);
    assertEquals(10, all.size());
    assertEquals(10, all.stream().distinct().count(), "no name twice across the two calls");
    assertEquals(List.of("d"), list(ROOT));
  }

  @Test
  void rmdirNeedsAnEmptyDirectoryAndUnlinkNeedsANonDirectory() throws IOException {
    long dir = fs.mkdir(ROOT, "d", 0755).ino();
    file(dir, "inside", "x");
    assertEquals(Errno.ENOTEMPTY, errno(() -> fs.rmdir(ROOT, "d")));
    assertEquals(Errno.EISDIR, errno(() -> fs.unlink(ROOT, "d")));
    assertEquals(Errno.ENOTDIR, errno(() -> fs.rmdir(dir, "inside")));
    fs.unlink(dir, "inside");
    fs.rmdir(ROOT, "d");
    assertEquals(List.of(), list(ROOT));
    assertEquals(Errno.ENOENT, errno(() -> fs.unlink(ROOT, "d")));
  }

  @Test
  void renameMovesAndReplacesAsRename2Does() throws IOException {
    long a = file(ROOT, "a", "A");
    file(ROOT, "b", "B");
    fs.rename(ROOT, "a", ROOT, "b");
    assertEquals(a, lookup(ROOT, "b").ino(), "a file replaces a file");
    assertInstanceOf(NoEntry.class, fs.lookup(ROOT, "a"));
    assertEquals("A", read(a));
    long d1 = fs.mkdir(ROOT, "d1", 0755).ino();
    long d2 = fs.mkdir(ROOT, "d2", 0755).ino();
    file(d2, "x", "x");
    assertEquals(Errno.ENOTEMPTY, errno(() -> fs.rename(ROOT, "d1", ROOT, "d2")));
    assertEquals(Errno.EISDIR, errno(() -> fs.rename(ROOT, "b", ROOT, "d1")));
    assertEquals(Errno.ENOTDIR, errno(() -> fs.rename(ROOT, "d1", ROOT, "b")));
    assertEquals(Errno.EINVAL, errno(() -> fs.rename(ROOT, "d2", d2, "inner")), "a directory cannot move into itself");
    fs.rename(ROOT, "b", d1, "moved");
    assertEquals("A", read(lookup(d1, "moved").ino()));
  }

  @Test
  void anOpenFileOutlivesItsName() throws IOException {
    long ino = file(ROOT, "doomed", "still here");
    OpenFile f = fs.open(ino, RW);
    fs.unlink(ROOT, "doomed");
    assertInstanceOf(NoEntry.class, fs.lookup(ROOT, "doomed"));
    ByteBuffer dst = ByteBuffer.allocate(100);
    assertEquals(10, f.read(dst, 0));
    f.write(ByteBuffer.wrap("!".getBytes(StandardCharsets.UTF_8)), 10);
    assertEquals(11, f.getattr().attributes().size());
    f.release();
  }

  @Test
  void symlinksKeepTheirTarget() throws IOException {
    Entry link = fs.symlink(ROOT, "l", "../somewhere/else");
    assertEquals(NodeType.SYMLINK, link.attributes().type());
    assertEquals("../somewhere/else", fs.readlink(link.ino()));
    assertEquals(17, link.attributes().size());
    long f = file(ROOT, "f", "");
    assertEquals(Errno.EINVAL, errno(() -> fs.readlink(f)));
  }

  @Test
  void chmodAndTimesChangeOnlyWhatWasAsked() throws IOException {
    long ino = file(ROOT, "f", "x");
    assertEquals(0600, fs.chmod(ino, 0600).attributes().permissions());
    Instant t = Instant.parse("2020-01-02T03:04:05Z");
    NodeAttributes a = fs.setTimes(ino, Optional.empty(), Optional.of(t)).attributes();
    assertEquals(t, a.mtime());
    assertEquals(0600, a.permissions());
  }

  @Test
  void badNamesAreRefusedWithTheRightErrno() {
    assertEquals(Errno.ENAMETOOLONG, errno(() -> fs.mkdir(ROOT, "x".repeat(300), 0755)));
    assertEquals(Errno.EINVAL, errno(() -> fs.create(ROOT, "a/b", 0644, CREATE_EXCL)));
  }

  @Test
  void statfsIsSane() throws IOException {
    FsStats s = fs.statfs();
    assertTrue(s.freeBlocks() <= s.totalBlocks());
    assertTrue(s.maxNameLength() > 0);
  }
}
