package org.keepfs.client.mount;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.keepfs.client.fs.Created;
import org.keepfs.client.fs.DirEntry;
import org.keepfs.client.fs.DirectorySink;
import org.keepfs.client.fs.Entry;
import org.keepfs.client.fs.FileSystem;
import org.keepfs.client.fs.FsStats;
import org.keepfs.client.fs.KernelCache;
import org.keepfs.client.fs.Lookup;
import org.keepfs.client.fs.NoEntry;
import org.keepfs.client.fs.NodeAttributes;
import org.keepfs.client.fs.NodeType;
import org.keepfs.client.fs.OpenFile;
import org.keepfs.client.fs.OpenFlags;
import org.keepfs.client.fs.PageCache;
import org.keepfs.client.fs.TimedAttributes;
import org.keepfs.client.writable.OpenCollections;
import org.keepfs.client.writable.SpoolLock;
import org.keepfs.client.writable.WritableFileSystem;
import org.keepfs.collection.CollectionName;
import org.keepfs.posix.Errno;
import org.keepfs.posix.ErrnoException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A full mount with {@code --read-write}: the gateway's tree as {@link GatewayFileSystem} serves it,
 * except that each {@code collections/NAME} is a writable collection ({@link WritableFileSystem}, with
 * its own writer, spool and {@code collections/NAME/.arv/}).
 *
 * <ul>
 *   <li>A collection is opened for writing when its name is first looked up ({@link OpenCollections});
 *       a name the gateway does not know stays ENOENT until {@code mkdir collections/NAME} makes a new
 *       collection (created on the gateway by its first commit). {@code collections/} lists the open
 *       collections.
 *   <li>{@code by_id/}, the exports and the root stay read-only: every change there is EROFS.
 *   <li>A collection itself is not removed or renamed through the mount ({@code rmdir} and
 *       {@code rename} of {@code collections/NAME}: EPERM, logged), and {@code collections/} holds
 *       nothing but collections (files, symlinks: EPERM).
 *   <li>A rename between two collections, or from a collection to {@code collections/} itself, is
 *       EXDEV: {@code mv} then copies, which makes a new collection in the second case.
 * </ul>
 */
public final class ReadWriteGatewayFileSystem implements FileSystem {
  private static final Logger LOG = LoggerFactory.getLogger(ReadWriteGatewayFileSystem.class);

  private final GatewayFileSystem readOnly;
  private final OpenCollections open;

  public ReadWriteGatewayFileSystem(GatewayFileSystem readOnly, OpenCollections open) {
    this.readOnly = readOnly;
    this.open = open;
  }

  /** A node of an open collection: the collection and the node's number inside it. */
  private record InCollection(OpenCollections.Opened collection, long local) {
    WritableFileSystem fs() {
      return collection.mount().fileSystem();
    }

    long global(long localIno) {
      return CollectionInodes.global(collection.slot(), localIno);
    }
  }

  private Optional<InCollection> writable(long ino) throws ErrnoException {
    if (!CollectionInodes.isCollectionNode(ino)) {
      return Optional.empty();
    }
    OpenCollections.Opened c = open.inSlot(CollectionInodes.slot(ino))
        .orElseThrow(() -> new ErrnoException(Errno.ESTALE, "inode " + ino + " is not known to this mount"));
    return Optional.of(new InCollection(c, CollectionInodes.local(ino)));
  }

  @Override
  public Lookup lookup(long parent, String name) throws IOException {
    Optional<InCollection> w = writable(parent);
    if (w.isPresent()) {
      return translate(w.get(), w.get().fs().lookup(w.get().local(), name));
    }
    if (!readOnly.isNamedCollectionsDir(parent)) {
      return readOnly.lookup(parent, name);
    }
    Optional<OpenCollections.Opened> already = open.get(name);
    if (already.isPresent()) {
      return rootEntry(already.get());
    }
    Lookup onGateway = readOnly.lookup(parent, name);
    if (!(onGateway instanceof Entry)) {
      return onGateway;
    }
    return rootEntry(openCollection(name));
  }

  private OpenCollections.Opened openCollection(String name) throws ErrnoException {
    try {
      return open.open(name);
    } catch (SpoolLock.InUseException e) {
      LOG.error("collections/{} cannot be opened for writing: {}", name, e.getMessage());
      throw new ErrnoException(Errno.EBUSY, "collections/" + name + ": " + e.getMessage());
    } catch (IOException | RuntimeException e) {
      LOG.error("collections/{} cannot be opened for writing: {}", name, e.toString());
      throw new ErrnoException(Errno.EIO, "collections/" + name + ": cannot open for writing: " + e.getMessage());
    }
  }

  private Entry rootEntry(OpenCollections.Opened c) throws IOException {
    InCollection root = new InCollection(c, ROOT_INODE);
    return entry(root, root.fs().getattr(ROOT_INODE));
  }

  @Override
  public TimedAttributes getattr(long ino) throws IOException {
    Optional<InCollection> w = writable(ino);
    if (w.isPresent()) {
      return translate(w.get(), w.get().fs().getattr(w.get().local()));
    }
    return readOnly.getattr(ino);
  }

  @Override
  public void readdir(long dir, long offset, DirectorySink sink) throws IOException {
    Optional<InCollection> w = writable(dir);
    if (w.isPresent()) {
      InCollection c = w.get();
      // Offsets are the collection's own cookies: they pass through unchanged.
      c.fs().readdir(c.local(), offset,
          e -> sink.accept(new DirEntry(e.name(), c.global(e.ino()), e.type(), e.nextOffset())));
      return;
    }
    if (readOnly.isNamedCollectionsDir(dir)) {
      List<OpenCollections.Opened> all = open.all();
      for (int i = (int) Math.min(offset, all.size()); i < all.size(); i++) {
        OpenCollections.Opened c = all.get(i);
        if (!sink.accept(new DirEntry(c.name(), CollectionInodes.global(c.slot(), ROOT_INODE), NodeType.DIRECTORY, i + 1))) {
          return;
        }
      }
      return;
    }
    readOnly.readdir(dir, offset, sink);
  }

  @Override
  public OpenFile open(long ino, OpenFlags flags) throws IOException {
    Optional<InCollection> w = writable(ino);
    if (w.isPresent()) {
      return new Numbered(w.get(), w.get().fs().open(w.get().local(), flags));
    }
    return readOnly.open(ino, flags);
  }

  @Override
  public String readlink(long ino) throws IOException {
    Optional<InCollection> w = writable(ino);
    return w.isPresent() ? w.get().fs().readlink(w.get().local()) : readOnly.readlink(ino);
  }

  @Override
  public FsStats statfs() throws IOException {
    return readOnly.statfs();
  }

  @Override
  public byte[] getxattr(long ino, String name) throws IOException {
    Optional<InCollection> w = writable(ino);
    return w.isPresent() ? w.get().fs().getxattr(w.get().local(), name) : readOnly.getxattr(ino, name);
  }

  @Override
  public List<String> listxattr(long ino) throws IOException {
    Optional<InCollection> w = writable(ino);
    return w.isPresent() ? w.get().fs().listxattr(w.get().local()) : readOnly.listxattr(ino);
  }

  @Override
  public Created create(long parent, String name, int permissions, OpenFlags flags) throws IOException {
    InCollection c = writableParent(parent, "create", name);
    Created made = c.fs().create(c.local(), name, permissions, flags);
    return new Created(entry(c, made.entry()), new Numbered(c, made.file()));
  }

  @Override
  public Entry mkdir(long parent, String name, int permissions) throws IOException {
    if (readOnly.isNamedCollectionsDir(parent)) {
      return newCollection(parent, name);
    }
    InCollection c = writableParent(parent, "mkdir", name);
    return entry(c, c.fs().mkdir(c.local(), name, permissions));
  }

  /** {@code mkdir collections/NAME}: a new, empty collection, created on the gateway by its first commit. */
  private Entry newCollection(long collectionsDir, String name) throws IOException {
    try {
      CollectionName.check(name);
    } catch (IllegalArgumentException e) {
      throw new ErrnoException(Errno.EINVAL, "mkdir collections/" + name + ": " + e.getMessage());
    }
    if (open.get(name).isPresent() || readOnly.lookup(collectionsDir, name) instanceof Entry) {
      throw new ErrnoException(Errno.EEXIST, "mkdir collections/" + name + ": the collection exists");
    }
    OpenCollections.Opened c = openCollection(name);
    LOG.info("collections/{}: new collection, created on the gateway at its first commit", name);
    return rootEntry(c);
  }

  @Override
  public Entry symlink(long parent, String name, String target) throws IOException {
    InCollection c = writableParent(parent, "symlink", name);
    return entry(c, c.fs().symlink(c.local(), name, target));
  }

  @Override
  public void unlink(long parent, String name) throws IOException {
    InCollection c = writableParent(parent, "unlink", name);
    c.fs().unlink(c.local(), name);
  }

  @Override
  public void rmdir(long parent, String name) throws IOException {
    if (readOnly.isNamedCollectionsDir(parent)) {
      throw refused("rmdir collections/" + name + ": a collection is not removed through the mount");
    }
    InCollection c = writableParent(parent, "rmdir", name);
    c.fs().rmdir(c.local(), name);
  }

  @Override
  public void rename(long parent, String name, long newParent, String newName) throws IOException {
    if (readOnly.isNamedCollectionsDir(parent)) {
      throw refused("rename collections/" + name + ": a collection is not renamed through the mount");
    }
    Optional<InCollection> from = writable(parent);
    if (from.isPresent() && readOnly.isNamedCollectionsDir(newParent)) {
      throw new ErrnoException(Errno.EXDEV, "rename " + name + " to collections/" + newName
          + ": a collection is made with mkdir (mv copies instead)");
    }
    Optional<InCollection> to = writable(newParent);
    if (from.isEmpty() || to.isEmpty()) {
      throw new ErrnoException(Errno.EROFS, "rename " + name + " to " + newName
          + ": only collections/NAME/ is writable in this mount");
    }
    if (from.get().collection().slot() != to.get().collection().slot()) {
      throw new ErrnoException(Errno.EXDEV, "rename " + name + " from collection '" + from.get().collection().name()
          + "' to collection '" + to.get().collection().name() + "': each collection is committed on its own");
    }
    from.get().fs().rename(from.get().local(), name, to.get().local(), newName);
  }

  @Override
  public TimedAttributes truncate(long ino, long size) throws IOException {
    InCollection c = writableNode(ino, "truncate");
    return translate(c, c.fs().truncate(c.local(), size));
  }

  @Override
  public TimedAttributes chmod(long ino, int permissions) throws IOException {
    InCollection c = writableNode(ino, "chmod");
    return translate(c, c.fs().chmod(c.local(), permissions));
  }

  @Override
  public TimedAttributes chown(long ino, OptionalInt uid, OptionalInt gid) throws IOException {
    InCollection c = writableNode(ino, "chown");
    return translate(c, c.fs().chown(c.local(), uid, gid));
  }

  @Override
  public TimedAttributes setTimes(long ino, Optional<Instant> atime, Optional<Instant> mtime) throws IOException {
    InCollection c = writableNode(ino, "utimens");
    return translate(c, c.fs().setTimes(c.local(), atime, mtime));
  }

  @Override
  public void attachKernelCache(KernelCache cache) {
    readOnly.attachKernelCache(cache);
  }

  /** Inodes handed out by the read-only part so far (for the stats file). */
  public int inodeCount() {
    return readOnly.inodeCount();
  }

  private InCollection writableParent(long parent, String operation, String name) throws IOException {
    Optional<InCollection> w = writable(parent);
    if (w.isPresent()) {
      return w.get();
    }
    if (readOnly.isNamedCollectionsDir(parent)) {
      throw refused(operation + " collections/" + name + ": collections/ holds only collections (make one with mkdir)");
    }
    throw new ErrnoException(Errno.EROFS, operation + " " + name + ": only collections/NAME/ is writable in this mount");
  }

  private InCollection writableNode(long ino, String operation) throws ErrnoException {
    return writable(ino).orElseThrow(() -> new ErrnoException(Errno.EROFS,
        operation + " inode " + ino + ": only collections/NAME/ is writable in this mount"));
  }

  private static ErrnoException refused(String message) {
    LOG.warn("{} (EPERM)", message);
    return new ErrnoException(Errno.EPERM, message);
  }

  private static Lookup translate(InCollection c, Lookup l) {
    return l instanceof Entry e ? entry(c, e) : l;
  }

  private static Entry entry(InCollection c, Entry e) {
    return new Entry(renumber(c, e.attributes()), e.entryTimeout(), e.attrTimeout());
  }

  private static Entry entry(InCollection c, TimedAttributes a) {
    return new Entry(renumber(c, a.attributes()), a.timeout(), a.timeout());
  }

  private static TimedAttributes translate(InCollection c, TimedAttributes a) {
    return new TimedAttributes(renumber(c, a.attributes()), a.timeout());
  }

  private static NodeAttributes renumber(InCollection c, NodeAttributes a) {
    return new NodeAttributes(c.global(a.ino()), a.type(), a.permissions(), a.nlink(), a.size(), a.uid(), a.gid(),
        a.atime(), a.mtime(), a.ctime());
  }

  /** An open file of a collection, whose attributes carry the mount's inode number. */
  private record Numbered(InCollection collection, OpenFile file) implements OpenFile {
    @Override
    public int read(ByteBuffer dst, long offset) throws IOException {
      return file.read(dst, offset);
    }

    @Override
    public int write(ByteBuffer src, long offset) throws IOException {
      return file.write(src, offset);
    }

    @Override
    public TimedAttributes getattr() throws IOException {
      return translate(collection, file.getattr());
    }

    @Override
    public void truncate(long size) throws IOException {
      file.truncate(size);
    }

    @Override
    public void flush() throws IOException {
      file.flush();
    }

    @Override
    public void fsync(boolean dataOnly) throws IOException {
      file.fsync(dataOnly);
    }

    @Override
    public void release() throws IOException {
      file.release();
    }

    @Override
    public PageCache pageCache() {
      return file.pageCache();
    }
  }
}
