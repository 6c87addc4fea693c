package org.keepfs.client.writable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keepfs.client.fs.DirEntry;
import org.keepfs.client.fs.Entry;
import org.keepfs.client.fs.FileSystem;
import org.keepfs.client.fs.NoEntry;
import org.keepfs.client.fs.NodeType;
import org.keepfs.client.fs.OpenFile;
import org.keepfs.client.fs.OpenFlags;
import org.keepfs.client.write.commit.CollectionWriter;
import org.keepfs.client.write.commit.GatewayFixture;
import org.keepfs.client.write.commit.WriterSettings;
import org.keepfs.posix.Errno;
import org.keepfs.posix.ErrnoException;

/** The writable filesystem through its inode interface, without FUSE, over a writer on a real gateway. */
class WritableFileSystemTest {
  static final long ROOT = FileSystem.ROOT_INODE;
  static final OpenFlags CREATE = new OpenFlags(OpenFlags.Access.WRITE, false, false, true, false);
  static final OpenFlags WRITE = new OpenFlags(OpenFlags.Access.WRITE, false, false, false, false);

  @TempDir Path dir;
  GatewayFixture gateway;
  CollectionWriter writer;
  WritableFileSystem fs;

  @BeforeEach
  void start() throws Exception {
    gateway = GatewayFixture.start(dir.resolve("gateway"));
    writer = CollectionWriter.open(WriterSettings.of(gateway.uri(), Optional.of(GatewayFixture.TOKEN), "fs", dir.resolve("spool")));
    fs = new WritableFileSystem(writer.tree(), Commits.of(writer), false, 1000, 1000);
  }

  @AfterEach
  void stop() throws Exception {
    if (writer != null) {
      writer.close();
    }
    if (gateway != null) {
      gateway.close();
    }
  }

  static int errno(ThrowingCall call) {
    return assertThrows(ErrnoException.class, call::run).errno();
  }

  interface ThrowingCall {
    void run() throws IOException;
  }

  long file(long parent, String name) throws IOException {
    var c = fs.create(parent, name, 0644, CREATE);
    c.file().release();
    return c.entry().ino();
  }

  @Test
  void aListingResumesWithoutSkippingNamesWhenEntriesAreRemovedBetweenCalls() throws IOException {
    long d = fs.mkdir(ROOT, "d", 0755).ino();
    for (int i = 0; i < 50; i++) {
      file(d, String.format("f%02d", (i * 37) % 50));
    }
    List<String> seen = new ArrayList<>();
    long offset = 0;
    while (true) {
      List<DirEntry> batch = new ArrayList<>();
      fs.readdir(d, offset, e -> {
        batch.add(e);
        return batch.size() < 7;
      });
      if (batch.isEmpty()) {
        break;
      }
      for (DirEntry e : batch) {
        seen.add(e.name());
        fs.unlink(d, e.name()); // as rm -r does between getdents calls
      }
      offset = batch.getLast().nextOffset();
    }
    assertEquals(50, seen.size(), seen.toString());
    assertEquals(50, seen.stream().distinct().count());
    fs.rmdir(ROOT, "d");
  }

  @Test
  void inodesNameNodesUntilTheyAreGone() throws IOException {
    long d = fs.mkdir(ROOT, "d", 0700).ino();
    long f = file(d, "f");
    assertEquals(NodeType.DIRECTORY, fs.getattr(d).attributes().type());
    assertEquals(0700, fs.getattr(d).attributes().permissions());
    assertEquals(1000, fs.getattr(f).attributes().uid());
    assertEquals(f, assertInstanceOf(Entry.class, fs.lookup(d, "f")).ino());
    assertInstanceOf(NoEntry.class, fs.lookup(d, "g"));
    assertEquals(Errno.ENOTDIR, errno(() -> fs.lookup(f, "x")));
    assertEquals(Errno.EINVAL, errno(() -> fs.lookup(d, "a/b")));
    assertEquals(Errno.ENAMETOOLONG, errno(() -> fs.create(d, "n".repeat(256), 0644, CREATE)));
    fs.rename(d, "f", ROOT, "moved");
    assertEquals(f, assertInstanceOf(Entry.class, fs.lookup(ROOT, "moved")).ino(), "a rename keeps the inode");
    fs.unlink(ROOT, "moved");
    assertEquals(Errno.ENOENT, errno(() -> fs.getattr(f)));
    assertEquals(Errno.EPERM, errno(() -> fs.symlink(ROOT, "l", "target")));
  }

  @Test
  void theControlDirectoryAnswersAndCommits() throws IOException {
    Entry arv = assertInstanceOf(Entry.class, fs.lookup(ROOT, ".arv"));
    assertEquals(NodeType.DIRECTORY, arv.attributes().type());
    List<String> root = new ArrayList<>();
    fs.readdir(ROOT, 0, e -> root.add(e.name()));
    assertEquals(List.of(".arv"), root);
    List<String> names = new ArrayList<>();
    fs.readdir(arv.ino(), 0, e -> names.add(e.name()));
    assertEquals(List.of("commit", "dirty", "hash"), names);
    assertEquals(Errno.EPERM, errno(() -> fs.mkdir(ROOT, ".arv", 0755)));
    assertEquals(Errno.EPERM, errno(() -> fs.rmdir(ROOT, ".arv")));
    assertEquals(Errno.EPERM, errno(() -> fs.rename(ROOT, ".arv", ROOT, "x")));
    assertEquals(Errno.EPERM, errno(() -> fs.create(arv.ino(), "extra", 0644, CREATE)));
    long dirty = assertInstanceOf(Entry.class, fs.lookup(arv.ino(), "dirty")).ino();
    assertEquals(Errno.EACCES, errno(() -> fs.open(dirty, WRITE)));
    assertEquals("1\n", read(dirty));

    file(ROOT, "a");
    long commit = assertInstanceOf(Entry.class, fs.lookup(arv.ino(), "commit")).ino();
    OpenFile c = fs.open(commit, WRITE);
    c.write(ByteBuffer.wrap(new byte[] {'\n'}), 0);
    c.release();
    assertTrue(writer.lastPdh().isPresent(), "the write returned after the commit");
    assertEquals("0\n", read(dirty));
    long hash = assertInstanceOf(Entry.class, fs.lookup(arv.ino(), "hash")).ino();
    assertEquals(writer.lastPdh().get() + "\n", read(hash));
  }

  private String read(long ino) throws IOException {
    OpenFile f = fs.open(ino, OpenFlags.READ_ONLY);
    ByteBuffer b = ByteBuffer.allocate(200);
    int n = f.read(b, 0);
    f.release();
    return new String(b.array(), 0, n, StandardCharsets.UTF_8);
  }
}
