package org.keepfs.client.mount;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
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
import org.keepfs.client.http.HttpOptions;
import org.keepfs.client.writable.OpenCollections;
import org.keepfs.client.writable.SpoolDirectory;
import org.keepfs.client.writable.WritableMount;
import org.keepfs.client.write.commit.WriterSettings;
import org.keepfs.manifest.PortableDataHash;
import org.keepfs.posix.Errno;
import org.keepfs.posix.ErrnoException;

/**
 * A full read-write mount's filesystem through its inode interface (no FUSE), over a real gateway with
 * an export and the collections API: which parts are writable, how collections open, and the errnos at
 * the edges between them.
 */
class ReadWriteGatewayFileSystemTest {
  static final String TOKEN = "rw-full-token";
  static final long ROOT = FileSystem.ROOT_INODE;
  static final OpenFlags CREATE = new OpenFlags(OpenFlags.Access.WRITE, false, false, true, false);
  static final OpenFlags WRITE = new OpenFlags(OpenFlags.Access.WRITE, false, false, false, false);
  static final OpenFlags READ = new OpenFlags(OpenFlags.Access.READ, false, false, false, false);

  @TempDir Path dir;
  TestGateway gateway;
  String existingPdh;
  final List<ClientSetup> clients = new ArrayList<>();
  final List<OpenCollections> opened = new ArrayList<>();
  ReadWriteGatewayFileSystem fs;
  OpenCollections open;

  @BeforeEach
  void start() throws Exception {
    Path export = Files.createDirectories(dir.resolve("export"));
    Files.writeString(export.resolve("plain.txt"), "exported\n");
    gateway = TestGateway.startWritable(export, Files.createDirectories(dir.resolve("data")), TOKEN);
    byte[] old = "old\n".getBytes(StandardCharsets.UTF_8);
    existingPdh = gateway.putCollection("existing",
        ". " + gateway.putBlocks(old, 1 << 20).getFirst() + " 0:4:old.txt\n");
    open = openCollections(dir.resolve("spools"));
    fs = fileSystem(open, "cache");
  }

  OpenCollections openCollections(Path spools) {
    OpenCollections o = new OpenCollections(name -> new WritableMount.Settings(
        WriterSettings.of(gateway.uri(), Optional.of(TOKEN), name, SpoolDirectory.in(spools, gateway.uri(), name)),
        Optional.empty(), false), Optional.empty());
    opened.add(o);
    return o;
  }

  ReadWriteGatewayFileSystem fileSystem(OpenCollections o, String cache) throws IOException {
    ClientSetup client = ClientSetup.open(new ClientConfig(HttpOptions.of(gateway.uri()), dir.resolve(cache), 256L << 20,
        false, Duration.ofDays(1), "", Duration.ZERO));
    clients.add(client);
    return new ReadWriteGatewayFileSystem(client.fileSystem(), o);
  }

  @AfterEach
  void stop() throws Exception {
    for (OpenCollections o : opened) {
      for (OpenCollections.Opened c : o.all()) {
        c.mount().close();
      }
    }
    for (ClientSetup c : clients) {
      c.close();
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

  long ino(long parent, String name) throws IOException {
    return assertInstanceOf(Entry.class, fs.lookup(parent, name), name).ino();
  }

  long collectionsDir() throws IOException {
    return ino(ROOT, "collections");
  }

  void writeFile(long dirIno, String name, String text) throws IOException {
    var c = fs.create(dirIno, name, 0644, CREATE);
    c.file().write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), 0);
    c.file().release();
  }

  String readFile(long ino) throws IOException {
    OpenFile f = fs.open(ino, READ);
    ByteBuffer b = ByteBuffer.allocate(1 << 16);
    f.read(b, 0);
    f.release();
    return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
  }

  /** Commits a collection as a program does: writing its {@code .arv/commit}. */
  void commit(long collectionRoot) throws IOException {
    OpenFile f = fs.open(ino(ino(collectionRoot, ".arv"), "commit"), WRITE);
    f.write(ByteBuffer.wrap("1\n".getBytes(StandardCharsets.UTF_8)), 0);
    f.release();
  }

  String manifestOnGateway(String name) throws IOException {
    PortableDataHash pdh = gateway.collections().head(name).orElseThrow(() -> new AssertionError("no head for " + name)).pdh();
    return gateway.collections().manifest(pdh).orElseThrow();
  }

  @Test
  void twoCollectionsAreWrittenAndEachIsCommittedThroughItsOwnControlFile() throws IOException {
    long coll = collectionsDir();
    long existing = ino(coll, "existing");
    assertTrue(CollectionInodes.isCollectionNode(existing), "collections/existing is served by its writer");
    assertEquals("old\n", readFile(ino(existing, "old.txt")));
    writeFile(existing, "new.txt", "new\n");
    long made = fs.mkdir(coll, "made", 0755).ino();
    long sub = fs.mkdir(made, "sub", 0755).ino();
    writeFile(sub, "deep.txt", "deep\n");

    assertEquals("1\n", readFile(ino(ino(existing, ".arv"), "dirty")));
    commit(existing);
    assertEquals("0\n", readFile(ino(ino(existing, ".arv"), "dirty")));
    assertTrue(manifestOnGateway("existing").contains(":4:new.txt"), manifestOnGateway("existing"));
    assertTrue(manifestOnGateway("existing").contains(":4:old.txt"), manifestOnGateway("existing"));
    assertTrue(gateway.collections().head("made").isEmpty(), "a new collection exists on the gateway only once committed");
    assertEquals("1\n", readFile(ino(ino(made, ".arv"), "dirty")));

    commit(made);
    assertTrue(manifestOnGateway("made").startsWith("./sub "), manifestOnGateway("made"));
    assertTrue(manifestOnGateway("made").contains(" 0:5:deep.txt"), manifestOnGateway("made"));
    String hash = readFile(ino(ino(made, ".arv"), "hash")).strip();
    assertEquals(gateway.collections().head("made").orElseThrow().pdh().toString(), hash);
  }

  @Test
  void collectionsListsTheOpenCollectionsAndAMissingNameStaysMissingWithoutASpool() throws IOException {
    long coll = collectionsDir();
    assertInstanceOf(NoEntry.class, fs.lookup(coll, "nothing-here"));
    assertFalse(Files.exists(SpoolDirectory.in(dir.resolve("spools"), gateway.uri(), "nothing-here")),
        "looking up a missing collection opens no writer");
    long existing = ino(coll, "existing");
    fs.mkdir(coll, "fresh", 0755);
    List<DirEntry> listed = new ArrayList<>();
    fs.readdir(coll, 0, listed::add);
    assertEquals(List.of("existing", "fresh"), listed.stream().map(DirEntry::name).toList());
    assertEquals(existing, listed.getFirst().ino());
    assertEquals(NodeType.DIRECTORY, listed.getFirst().type());
    List<DirEntry> rest = new ArrayList<>();
    fs.readdir(coll, listed.getFirst().nextOffset(), rest::add);
    assertEquals(List.of("fresh"), rest.stream().map(DirEntry::name).toList());
    List<String> inside = new ArrayList<>();
    fs.readdir(existing, 0, e -> inside.add(e.name()));
    assertEquals(List.of("old.txt", ".arv"), inside);
  }

  @Test
  void mkdirOfACollectionRefusesExistingAndBadNames() throws IOException {
    long coll = collectionsDir();
    assertEquals(Errno.EEXIST, errno(() -> fs.mkdir(coll, "existing", 0755)), "on the gateway, not open yet");
    ino(coll, "existing");
    assertEquals(Errno.EEXIST, errno(() -> fs.mkdir(coll, "existing", 0755)), "open");
    fs.mkdir(coll, "once", 0755);
    assertEquals(Errno.EEXIST, errno(() -> fs.mkdir(coll, "once", 0755)), "made by this mount, not committed yet");
    assertEquals(Errno.EINVAL, errno(() -> fs.mkdir(coll, "tab\there", 0755)));
  }

  @Test
  void byIdExportsAndTheRootAreReadOnlyForEveryChange() throws IOException {
    long byIdColl = ino(ino(ROOT, "by_id"), existingPdh);
    long byIdFile = ino(byIdColl, "old.txt");
    long export = ino(ROOT, "data");
    long exportFile = ino(export, "plain.txt");
    assertEquals("old\n", readFile(byIdFile));
    assertEquals("exported\n", readFile(exportFile));
    for (long[] place : new long[][] {{byIdColl, byIdFile}, {export, exportFile}, {ROOT, ino(ROOT, "by_id")}}) {
      long d = place[0];
      long f = place[1];
      assertEquals(Errno.EROFS, errno(() -> fs.create(d, "x", 0644, CREATE)), "create");
      assertEquals(Errno.EROFS, errno(() -> fs.open(f, WRITE)), "open for writing");
      assertEquals(Errno.EROFS, errno(() -> fs.mkdir(d, "x", 0755)), "mkdir");
      assertEquals(Errno.EROFS, errno(() -> fs.symlink(d, "x", "target")), "symlink");
      assertEquals(Errno.EROFS, errno(() -> fs.unlink(d, "old.txt")), "unlink");
      assertEquals(Errno.EROFS, errno(() -> fs.rmdir(d, "x")), "rmdir");
      assertEquals(Errno.EROFS, errno(() -> fs.rename(d, "old.txt", d, "y")), "rename");
      assertEquals(Errno.EROFS, errno(() -> fs.truncate(f, 0)), "truncate");
      assertEquals(Errno.EROFS, errno(() -> fs.chmod(f, 0600)), "chmod");
      assertEquals(Errno.EROFS, errno(() -> fs.chown(f, OptionalInt.of(0), OptionalInt.empty())), "chown");
      assertEquals(Errno.EROFS, errno(() -> fs.setTimes(f, Optional.of(Instant.EPOCH), Optional.empty())), "utimens");
    }
    long existing = ino(collectionsDir(), "existing");
    writeFile(existing, "moving.txt", "m\n");
    assertEquals(Errno.EROFS, errno(() -> fs.rename(existing, "moving.txt", export, "moving.txt")), "out of a collection");
    assertEquals(Errno.EROFS, errno(() -> fs.rename(export, "plain.txt", existing, "plain.txt")), "into a collection");
  }

  @Test
  void collectionsThemselvesAreNotRemovedOrRenamedAndRenamesBetweenThemAreExdev() throws IOException {
    long coll = collectionsDir();
    long existing = ino(coll, "existing");
    long other = fs.mkdir(coll, "other", 0755).ino();
    assertEquals(Errno.EPERM, errno(() -> fs.rmdir(coll, "existing")));
    assertEquals(Errno.EPERM, errno(() -> fs.rename(coll, "existing", coll, "renamed")));
    assertEquals(Errno.EPERM, errno(() -> fs.create(coll, "file", 0644, CREATE)));
    assertEquals(Errno.EPERM, errno(() -> fs.unlink(coll, "existing")));
    assertEquals(Errno.EPERM, errno(() -> fs.symlink(coll, "link", "existing")));
    assertEquals(Errno.EXDEV, errno(() -> fs.rename(existing, "old.txt", other, "old.txt")));
    fs.mkdir(existing, "d", 0755);
    assertEquals(Errno.EXDEV, errno(() -> fs.rename(existing, "d", coll, "from-a-directory")),
        "a collection is made by mkdir, so mv copies");
    // The refusals changed nothing.
    assertEquals("old\n", readFile(ino(existing, "old.txt")));
    assertInstanceOf(NoEntry.class, fs.lookup(other, "old.txt"));
    fs.rename(existing, "old.txt", ino(existing, "d"), "moved.txt");
    assertEquals("old\n", readFile(ino(ino(existing, "d"), "moved.txt")));
  }

  @Test
  void anOpenFileReportsTheMountsInodeNumber() throws IOException {
    long existing = ino(collectionsDir(), "existing");
    var c = fs.create(existing, "f", 0644, CREATE);
    c.file().write(ByteBuffer.wrap(new byte[] {1, 2, 3}), 0);
    assertEquals(c.entry().ino(), c.file().getattr().attributes().ino());
    assertEquals(3, c.file().getattr().attributes().size());
    c.file().release();
    assertEquals(c.entry().ino(), fs.getattr(c.entry().ino()).attributes().ino());
    assertEquals(Errno.ESTALE, errno(() -> fs.getattr(CollectionInodes.global(99, 5))), "a slot no collection has");
  }

  @Test
  void aSecondMountOnTheSameSpoolsIsRefusedWithEbusy() throws IOException {
    ino(collectionsDir(), "existing");
    ReadWriteGatewayFileSystem second = fileSystem(openCollections(dir.resolve("spools")), "cache2");
    long coll = assertInstanceOf(Entry.class, second.lookup(ROOT, "collections")).ino();
    assertEquals(Errno.EBUSY, errno(() -> second.lookup(coll, "existing")));
    ReadWriteGatewayFileSystem own = fileSystem(openCollections(dir.resolve("spools-own")), "cache3");
    long coll3 = assertInstanceOf(Entry.class, own.lookup(ROOT, "collections")).ino();
    assertInstanceOf(Entry.class, own.lookup(coll3, "existing"), "with its own spools it opens");
  }

  @Test
  void theNextMountRecoversEachCollectionsSpool() throws IOException {
    long coll = collectionsDir();
    long existing = ino(coll, "existing");
    long made = fs.mkdir(coll, "made", 0755).ino();
    for (long c : new long[] {existing, made}) {
      var f = fs.create(c, "flushed.txt", 0644, CREATE);
      f.file().write(ByteBuffer.wrap("flushed\n".getBytes(StandardCharsets.UTF_8)), 0);
      f.file().fsync(false);
      f.file().release();
    }
    // A crash: the writers stop without committing; the spools keep what fsync made durable.
    for (OpenCollections.Opened o : open.all()) {
      o.mount().close();
    }
    opened.remove(open);
    OpenCollections next = openCollections(dir.resolve("spools"));
    assertEquals(List.of("existing", "made"), next.recoverSpools(dir.resolve("spools"), gateway.uri()).stream().sorted().toList());
    for (OpenCollections.Opened o : next.all()) {
      o.mount().commitIfDirty().orElseThrow();
    }
    assertTrue(manifestOnGateway("existing").contains(":8:flushed.txt"), manifestOnGateway("existing"));
    assertTrue(manifestOnGateway("existing").contains(":4:old.txt"), manifestOnGateway("existing"));
    assertTrue(manifestOnGateway("made").contains(":8:flushed.txt"), manifestOnGateway("made"));
    // Nothing left to recover: a third mount opens no collection.
    for (OpenCollections.Opened o : next.all()) {
      o.mount().close();
    }
    opened.remove(next);
    OpenCollections third = openCollections(dir.resolve("spools"));
    assertEquals(List.of(), third.recoverSpools(dir.resolve("spools"), gateway.uri()));
    assertEquals(List.of(), third.all());
  }

  @Test
  void inodeNumbersRoundTrip() {
    for (int slot : new int[] {1, 2, CollectionInodes.MAX_SLOT}) {
      for (long local : new long[] {1, 2, 1L << 40, org.keepfs.client.writable.WritableFileSystem.CONTROL_INODES,
          org.keepfs.client.writable.WritableFileSystem.CONTROL_INODES + 3}) {
        long g = CollectionInodes.global(slot, local);
        assertTrue(g > 0 && CollectionInodes.isCollectionNode(g));
        assertEquals(slot, CollectionInodes.slot(g));
        assertEquals(local, CollectionInodes.local(g));
      }
    }
    assertFalse(CollectionInodes.isCollectionNode(12345));
    assertThrows(IllegalArgumentException.class, () -> CollectionInodes.global(0, 1));
    assertThrows(IllegalArgumentException.class, () -> CollectionInodes.global(1, 1L << 50));
  }
}
