package org.keepfs.client.writable;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.keepfs.client.fs.Created;
import org.keepfs.client.fs.DirEntry;
import org.keepfs.client.fs.DirectorySink;
import org.keepfs.client.fs.Entry;
import org.keepfs.client.fs.FileSystem;
import org.keepfs.client.fs.FsStats;
import org.keepfs.client.fs.Lookup;
import org.keepfs.client.fs.Names;
import org.keepfs.client.fs.NoEntry;
import org.keepfs.client.fs.NodeAttributes;
import org.keepfs.client.fs.NodeType;
import org.keepfs.client.fs.OpenFile;
import org.keepfs.client.fs.OpenFlags;
import org.keepfs.client.fs.TimedAttributes;
import org.keepfs.client.write.FileHandle;
import org.keepfs.client.write.NodeInfo;
import org.keepfs.client.write.WritableCollection;
import org.keepfs.posix.Errno;
import org.keepfs.posix.ErrnoException;

/**
 * One collection as a writable {@link FileSystem}: the {@link WritableCollection}'s tree at the root,
 * plus the {@code .arv/} control directory ({@link ControlDir}). Inode numbers are the tree's own.
 *
 * <p>What a manifest cannot hold is refused or kept only for the mount's lifetime: symbolic links are
 * EPERM; permission bits, owners and times set by chmod, chown and utimens are remembered in memory
 * ({@link LocalMetadata}) but not committed. Every node belongs to the user running the mount until
 * chown says otherwise.
 *
 * <p>Directory listings are ordered by inode number, and a listing's offset is the last inode
 * returned, so entries removed between two {@code getdents} calls (as {@code rm -r} does) never
 * make the listing skip a name.
 */
public final class WritableFileSystem implements FileSystem {
  /**
   * The first of the control directory's inode numbers; the tree's own count up from 1, far below.
   * A filesystem that holds several collections builds its inode numbers from both facts.
   */
  public static final long CONTROL_INODES = ControlDir.DIR_INODE;
  /** Attributes change with every write: the front end must ask again. */
  private static final Duration NO_CACHE = Duration.ZERO;
  private static final long STATFS_BLOCK = 4096;
  /** What statfs reports as capacity: the store behind the gateway is not the client's to measure. */
  private static final long STATFS_BYTES = 1L << 50;
  private static final long STATFS_FILES = 1L << 32;

  private final WritableCollection tree;
  private final Commits commits;
  private final boolean commitOnFsync;
  private final ControlDir control;
  private final LocalMetadata metadata = new LocalMetadata();
  private final LocalMetadata.Owner mountOwner;

  /**
   * @param commitOnFsync an fsync also commits (the {@code --commit-on-fsync} trigger), after making the
   *     data durable in the spool
   */
  public WritableFileSystem(WritableCollection tree, Commits commits, boolean commitOnFsync, int uid, int gid) {
    this.tree = tree;
    this.commits = commits;
    this.commitOnFsync = commitOnFsync;
    this.control = new ControlDir(commits, uid, gid);
    this.mountOwner = new LocalMetadata.Owner(uid, gid);
  }

  @Override
  public Lookup lookup(long parent, String name) throws IOException {
    if (parent == ROOT_INODE && name.equals(ControlDir.NAME)) {
      return entry(control.dirAttributes());
    }
    if (parent == ControlDir.DIR_INODE) {
      return control.lookup(name).<Lookup>map(WritableFileSystem::entry).orElse(NoEntry.UNCACHED);
    }
    Optional<NodeInfo> found = tree.lookup(parent, Names.check(name));
    return found.<Lookup>map(i -> entry(attributes(i))).orElse(NoEntry.UNCACHED);
  }

  @Override
  public TimedAttributes getattr(long ino) throws IOException {
    if (ControlDir.isControlInode(ino)) {
      return control.attributes(ino);
    }
    return attributes(tree.stat(ino));
  }

  @Override
  public void readdir(long dir, long offset, DirectorySink sink) throws IOException {
    if (dir == ControlDir.DIR_INODE) {
      for (ControlDir.ControlFile f : control.files()) {
        if (f.inode() > offset && !sink.accept(new DirEntry(f.fileName, f.inode(), NodeType.FILE, f.inode()))) {
          return;
        }
      }
      return;
    }
    List<WritableCollection.Child> children = new ArrayList<>(tree.children(dir));
    children.sort(Comparator.comparingLong(c -> c.info().inode()));
    for (WritableCollection.Child c : children) {
      long ino = c.info().inode();
      if (ino <= offset || dir == ROOT_INODE && c.name().equals(ControlDir.NAME)) {
        continue;
      }
      if (!sink.accept(new DirEntry(c.name(), ino, c.info().directory() ? NodeType.DIRECTORY : NodeType.FILE, ino))) {
        return;
      }
    }
    if (dir == ROOT_INODE && offset < ControlDir.DIR_INODE) {
      sink.accept(new DirEntry(ControlDir.NAME, ControlDir.DIR_INODE, NodeType.DIRECTORY, ControlDir.DIR_INODE));
    }
  }

  @Override
  public OpenFile open(long ino, OpenFlags flags) throws IOException {
    if (ControlDir.isControlInode(ino)) {
      return control.open(ino, flags);
    }
    return new WritableOpenFile(tree.open(tree.pathOf(ino), flags, false));
  }

  @Override
  public Created create(long parent, String name, int permissions, OpenFlags flags) throws IOException {
    refuseControl(parent, name, "create");
    FileHandle h = tree.open(childPath(parent, name), flags, true);
    metadata.chmod(h.inode(), permissions & 07777);
    WritableOpenFile file = new WritableOpenFile(h);
    return new Created(entry(file.getattr()), file);
  }

  @Override
  public Entry mkdir(long parent, String name, int permissions) throws IOException {
    refuseControl(parent, name, "mkdir");
    String path = childPath(parent, name);
    tree.mkdir(path);
    NodeInfo made = tree.stat(path).orElseThrow(() -> new ErrnoException(Errno.ENOENT, "mkdir " + path + ": removed at once"));
    metadata.chmod(made.inode(), permissions & 07777);
    return entry(attributes(made));
  }

  @Override
  public Entry symlink(long parent, String name, String target) throws IOException {
    throw new ErrnoException(Errno.EPERM, "symlink " + name + " -> " + target + ": a collection cannot hold symbolic links");
  }

  @Override
  public void unlink(long parent, String name) throws IOException {
    refuseControl(parent, name, "unlink");
    tree.unlink(childPath(parent, name));
  }

  @Override
  public void rmdir(long parent, String name) throws IOException {
    refuseControl(parent, name, "rmdir");
    tree.rmdir(childPath(parent, name));
  }

  @Override
  public void rename(long parent, String name, long newParent, String newName) throws IOException {
    refuseControl(parent, name, "rename");
    refuseControl(newParent, newName, "rename");
    tree.rename(childPath(parent, name), childPath(newParent, newName));
  }

  @Override
  public TimedAttributes truncate(long ino, long size) throws IOException {
    if (ControlDir.isControlInode(ino)) {
      control.open(ino, new OpenFlags(OpenFlags.Access.WRITE, false, false, false, false)).truncate(size);
      return control.attributes(ino);
    }
    String path = tree.pathOf(ino);
    tree.truncate(path, size);
    return attributes(tree.stat(ino));
  }

  @Override
  public TimedAttributes chmod(long ino, int permissions) throws IOException {
    if (ControlDir.isControlInode(ino)) {
      throw new ErrnoException(Errno.EPERM, "chmod: " + ControlDir.NAME + " belongs to the mount");
    }
    NodeInfo info = tree.stat(ino);
    metadata.chmod(ino, permissions & 07777);
    return attributes(info);
  }

  @Override
  public TimedAttributes chown(long ino, OptionalInt uid, OptionalInt gid) throws IOException {
    if (ControlDir.isControlInode(ino)) {
      throw new ErrnoException(Errno.EPERM, "chown: " + ControlDir.NAME + " belongs to the mount");
    }
    NodeInfo info = tree.stat(ino);
    metadata.chown(ino, uid, gid, mountOwner);
    return attributes(info);
  }

  @Override
  public TimedAttributes setTimes(long ino, Optional<Instant> atime, Optional<Instant> mtime) throws IOException {
    if (ControlDir.isControlInode(ino)) {
      return control.attributes(ino);
    }
    NodeInfo info = tree.stat(ino);
    metadata.setTimes(ino, atime, mtime, info.mtime());
    return attributes(info);
  }

  @Override
  public String readlink(long ino) throws IOException {
    throw new ErrnoException(Errno.EINVAL, "inode " + ino + " is not a symbolic link");
  }

  /**
   * A collection keeps no extended attributes. ENOSYS rather than ENODATA, because the kernel then stops
   * asking: otherwise it asks for {@code security.capability} before every write, a second trip through
   * FUSE (and an exception here) for each one. Programs see EOPNOTSUPP.
   */
  @Override
  public byte[] getxattr(long ino, String name) throws IOException {
    throw new ErrnoException(Errno.ENOSYS, "extended attributes are not kept in a collection");
  }

  @Override
  public FsStats statfs() {
    long blocks = STATFS_BYTES / STATFS_BLOCK;
    return new FsStats((int) STATFS_BLOCK, blocks, blocks, blocks, STATFS_FILES, STATFS_FILES, Names.MAX_NAME_BYTES);
  }

  /** The control directory's name at the root cannot be created, removed, replaced or renamed. */
  private static void refuseControl(long parent, String name, String operation) throws ErrnoException {
    if (parent == ROOT_INODE && ControlDir.NAME.equals(name)) {
      throw new ErrnoException(Errno.EPERM, operation + " " + name + ": it is the mount's control directory");
    }
    if (ControlDir.isControlInode(parent)) {
      throw new ErrnoException(Errno.EPERM, operation + " " + ControlDir.NAME + "/" + name + ": the control directory's files are fixed");
    }
  }

  private String childPath(long parent, String name) throws IOException {
    Names.check(name);
    String dir = tree.pathOf(parent);
    return dir.isEmpty() ? name : dir + "/" + name;
  }

  TimedAttributes attributes(NodeInfo i) {
    NodeType type = i.directory() ? NodeType.DIRECTORY : NodeType.FILE;
    Instant mtime = metadata.mtime(i.inode(), i.mtime());
    LocalMetadata.Owner owner = metadata.owner(i.inode(), mountOwner);
    NodeAttributes a = new NodeAttributes(i.inode(), type, metadata.permissions(i.inode(), i.directory()),
        // 1 link for a directory means "not counted", which tools such as find understand.
        1, i.directory() ? 0 : i.size(), owner.uid(), owner.gid(), metadata.atime(i.inode(), i.mtime()), mtime, i.mtime());
    return new TimedAttributes(a, NO_CACHE);
  }

  private static Entry entry(TimedAttributes a) {
    return new Entry(a.attributes(), a.timeout(), a.timeout());
  }

  /** A file of the tree opened through a {@link FileHandle}. */
  private final class WritableOpenFile implements OpenFile {
    private final FileHandle handle;

    WritableOpenFile(FileHandle handle) {
      this.handle = handle;
    }

    @Override
    public int read(ByteBuffer dst, long offset) throws IOException {
      return handle.read(dst, offset);
    }

    @Override
    public int write(ByteBuffer src, long offset) throws IOException {
      return handle.write(src, offset);
    }

    @Override
    public TimedAttributes getattr() {
      return attributes(handle.info());
    }

    @Override
    public void truncate(long size) throws IOException {
      handle.truncate(size);
    }

    @Override
    public void fsync(boolean dataOnly) throws IOException {
      handle.fsync();
      if (commitOnFsync) {
        control.commitNow();
      }
    }

    @Override
    public void release() throws IOException {
      handle.close();
    }
  }
}
