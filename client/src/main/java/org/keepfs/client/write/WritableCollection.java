package org.keepfs.client.write;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.keepfs.client.fs.Names;
import org.keepfs.client.fs.OpenFlags;
import java.util.function.Function;
import org.keepfs.client.write.block.BlockRef;
import org.keepfs.client.write.block.BufferBlock;
import org.keepfs.client.write.block.StoredBlock;
import org.keepfs.locator.Locator;
import org.keepfs.client.write.merge.FlatTree;
import org.keepfs.client.write.merge.TreeEntry;
import org.keepfs.manifest.Directory;
import org.keepfs.manifest.File;
import org.keepfs.manifest.Node;
import org.keepfs.posix.Errno;
import org.keepfs.posix.ErrnoException;

/**
 * A collection as an in-memory tree that programs change: create, open (O_TRUNC, O_APPEND, O_EXCL),
 * read, write, truncate, mkdir, rmdir, unlink and rename, with rename(2)'s rules. Paths are
 * {@code /}-separated and relative to the collection's root.
 *
 * <p>Lock order, outermost first: the tree lock (namespace: parents, names, directory entries; shared
 * by lookups, exclusive for changes and captures), then one file's content lock ({@link FileNode#lock}),
 * then a buffer block's monitor, then the memory budget (lock-free). Reads and writes through a
 * {@link FileHandle} take only their file's lock, so they never wait for another file. Nothing that
 * holds an inner lock takes an outer one. Queuing a full buffer may wait for upload capacity while
 * holding a file lock; uploads take no tree or file lock, so that wait always ends.
 */
public final class WritableCollection {
  private final ReentrantReadWriteLock tree = new ReentrantReadWriteLock();
  private final WriterContext ctx;
  private final DirNode root;
  private final AtomicLong nextInode = new AtomicLong(2);
  private final AtomicLong changes = new AtomicLong();
  private final Map<Long, TreeNode> byInode = new ConcurrentHashMap<>();
  private volatile Durability durability = c -> {};
  private volatile java.time.Instant lastChange;

  /** What fsync does: the spool writes a recoverable snapshot. */
  @FunctionalInterface
  public interface Durability {
    void makeDurable(WritableCollection collection) throws IOException;
  }

  private WritableCollection(WriterContext ctx) {
    this.ctx = ctx;
    this.root = new DirNode(1, null, "", ctx.clock().instant());
    byInode.put(1L, root);
    lastChange = ctx.clock().instant();
  }

  /** An empty collection. */
  public static WritableCollection empty(WriterContext ctx) {
    return new WritableCollection(ctx);
  }

  /** A collection holding the tree of a parsed manifest. */
  public static WritableCollection of(Directory base, WriterContext ctx) {
    return of(base, ctx, StoredBlock::new);
  }

  /** A collection holding a tree whose blocks {@code blocks} names (recovery maps spool blocks to buffers). */
  public static WritableCollection of(Directory base, WriterContext ctx, Function<Locator, BlockRef> blocks) {
    WritableCollection c = new WritableCollection(ctx);
    c.load(c.root, base, blocks);
    return c;
  }

  private void load(DirNode dir, Directory from, Function<Locator, BlockRef> blocks) {
    for (int i = 0; i < from.size(); i++) {
      String name = from.name(i);
      Node entry = from.entry(i);
      TreeNode node = switch (entry) {
        case Directory d -> {
          DirNode sub = new DirNode(nextInode.getAndIncrement(), dir, name, ctx.clock().instant());
          load(sub, d, blocks);
          yield sub;
        }
        case File f -> new FileNode(nextInode.getAndIncrement(), dir, name, ctx.clock().instant(),
            FileContent.of(f.segments(), blocks));
      };
      dir.children.put(name, node);
      byInode.put(node.inode, node);
    }
  }

  WriterContext context() {
    return ctx;
  }

  /** How many changes were made since the collection was loaded (a commit compares it). */
  public long changeCount() {
    return changes.get();
  }

  void changed(TreeNode node) {
    java.time.Instant now = ctx.clock().instant();
    node.mtime = now;
    lastChange = now;
    changes.incrementAndGet();
  }

  /** When the tree last changed (for the idle commit). */
  public java.time.Instant lastChange() {
    return lastChange;
  }

  /** Sets what {@link #fsync} does (by default nothing: there is no spool). */
  public void durability(Durability d) {
    this.durability = d;
  }

  /** Makes everything written so far survive a crash of this process (through the spool). */
  public void fsync() throws IOException {
    durability.makeDurable(this);
  }

  // Namespace operations.

  /**
   * Opens the file at {@code path}. With {@code create}, a missing file is created (EEXIST if it exists
   * and {@code flags.exclusive()}). {@code flags.truncate()} empties it.
   */
  public FileHandle open(String path, OpenFlags flags, boolean create) throws IOException {
    FileNode file;
    boolean truncate = flags.truncate() && flags.access().writes();
    tree.writeLock().lock();
    try {
      Parent p = parentOf(path);
      TreeNode existing = p.dir.children.get(p.name);
      if (existing == null) {
        if (!create) {
          throw new ErrnoException(Errno.ENOENT, "open " + path + ": no such file");
        }
        file = new FileNode(nextInode.getAndIncrement(), p.dir, p.name, ctx.clock().instant(), new FileContent());
        p.dir.children.put(p.name, file);
        byInode.put(file.inode, file);
        changed(p.dir);
        truncate = false;
      } else if (create && flags.exclusive()) {
        throw new ErrnoException(Errno.EEXIST, "create " + path + ": it exists (O_EXCL)");
      } else if (existing instanceof DirNode) {
        if (flags.writes()) {
          throw new ErrnoException(Errno.EISDIR, "open " + path + " for writing: it is a directory");
        }
        throw new ErrnoException(Errno.EISDIR, "open " + path + ": it is a directory");
      } else {
        file = (FileNode) existing;
      }
    } finally {
      tree.writeLock().unlock();
    }
    FileHandle handle = new FileHandle(this, file, flags);
    if (truncate) {
      truncate(file, 0);
    }
    return handle;
  }

  /** Creates a directory (EEXIST when the name is taken). */
  public void mkdir(String path) throws IOException {
    tree.writeLock().lock();
    try {
      Parent p = parentOf(path);
      if (p.dir.children.containsKey(p.name)) {
        throw new ErrnoException(Errno.EEXIST, "mkdir " + path + ": it exists");
      }
      DirNode d = new DirNode(nextInode.getAndIncrement(), p.dir, p.name, ctx.clock().instant());
      p.dir.children.put(p.name, d);
      byInode.put(d.inode, d);
      changed(p.dir);
    } finally {
      tree.writeLock().unlock();
    }
  }

  /** Removes an empty directory. */
  public void rmdir(String path) throws IOException {
    tree.writeLock().lock();
    try {
      Parent p = parentOf(path);
      TreeNode n = p.dir.children.get(p.name);
      if (n == null) {
        throw new ErrnoException(Errno.ENOENT, "rmdir " + path + ": no such directory");
      }
      if (!(n instanceof DirNode d)) {
        throw new ErrnoException(Errno.ENOTDIR, "rmdir " + path + ": not a directory");
      }
      if (!d.children.isEmpty()) {
        throw new ErrnoException(Errno.ENOTEMPTY, "rmdir " + path + ": the directory is not empty");
      }
      p.dir.children.remove(p.name);
      byInode.remove(d.inode);
      d.parent = null;
      changed(p.dir);
    } finally {
      tree.writeLock().unlock();
    }
  }

  /** Removes a file's name; open handles keep working, and its bytes are not committed. */
  public void unlink(String path) throws IOException {
    FileNode f;
    tree.writeLock().lock();
    try {
      Parent p = parentOf(path);
      TreeNode n = p.dir.children.get(p.name);
      if (n == null) {
        throw new ErrnoException(Errno.ENOENT, "unlink " + path + ": no such file");
      }
      if (!(n instanceof FileNode file)) {
        throw new ErrnoException(Errno.EISDIR, "unlink " + path + ": it is a directory");
      }
      f = file;
      p.dir.children.remove(p.name);
      byInode.remove(f.inode);
      changed(p.dir);
    } finally {
      tree.writeLock().unlock();
    }
    f.unlinked();
  }

  /**
   * Moves {@code from} to {@code to} as rename(2) does: a file replaces a file; a directory replaces an
   * empty directory (ENOTEMPTY otherwise); a file over a directory is EISDIR, a directory over a file
   * ENOTDIR; a directory into its own subtree is EINVAL.
   */
  public void rename(String from, String to) throws IOException {
    FileNode replaced = null;
    tree.writeLock().lock();
    try {
      Parent src = parentOf(from);
      Parent dst = parentOf(to);
      TreeNode moving = src.dir.children.get(src.name);
      if (moving == null) {
        throw new ErrnoException(Errno.ENOENT, "rename " + from + ": no such file or directory");
      }
      TreeNode target = dst.dir.children.get(dst.name);
      if (target == moving) {
        return;
      }
      if (moving instanceof DirNode && moving.isAncestorOf(dst.dir)) {
        throw new ErrnoException(Errno.EINVAL, "rename " + from + " to " + to + ": a directory cannot move into itself");
      }
      if (target != null) {
        if (moving instanceof FileNode && target instanceof DirNode) {
          throw new ErrnoException(Errno.EISDIR, "rename " + from + " to " + to + ": the target is a directory");
        }
        if (moving instanceof DirNode && target instanceof FileNode) {
          throw new ErrnoException(Errno.ENOTDIR, "rename " + from + " to " + to + ": the target is not a directory");
        }
        if (target instanceof DirNode d && !d.children.isEmpty()) {
          throw new ErrnoException(Errno.ENOTEMPTY, "rename " + from + " to " + to + ": the target directory is not empty");
        }
        byInode.remove(target.inode);
        target.parent = null;
        if (target instanceof FileNode f) {
          replaced = f;
        }
      }
      src.dir.children.remove(src.name);
      moving.parent = dst.dir;
      moving.name = dst.name;
      dst.dir.children.put(dst.name, moving);
      changed(src.dir);
      changed(dst.dir);
    } finally {
      tree.writeLock().unlock();
    }
    if (replaced != null) {
      replaced.unlinked();
    }
  }

  /** Sets the length of the file at {@code path}. */
  public void truncate(String path, long size) throws IOException {
    TreeNode n = resolve(path).orElseThrow(() -> new ErrnoException(Errno.ENOENT, "truncate " + path + ": no such file"));
    if (!(n instanceof FileNode f)) {
      throw new ErrnoException(Errno.EISDIR, "truncate " + path + ": it is a directory");
    }
    truncate(f, size);
  }

  void truncate(FileNode f, long size) throws IOException {
    if (size < 0) {
      throw new ErrnoException(Errno.EINVAL, "truncate to a negative length " + size);
    }
    f.lock.writeLock().lock();
    try {
      f.content.truncate(size, ctx);
      f.version++;
    } finally {
      f.lock.writeLock().unlock();
    }
    changed(f);
  }

  /** What {@code stat} says about {@code path}, or empty when nothing is there. */
  public Optional<NodeInfo> stat(String path) throws IOException {
    Optional<TreeNode> n = resolve(path);
    return n.isEmpty() ? Optional.empty() : Optional.of(info(n.get()));
  }

  /** The names in directory {@code path}, in UTF-8 byte order. */
  public List<String> list(String path) throws IOException {
    tree.readLock().lock();
    try {
      TreeNode n = lookup(path, "list");
      if (!(n instanceof DirNode d)) {
        throw new ErrnoException(Errno.ENOTDIR, "list " + path + ": not a directory");
      }
      return new ArrayList<>(d.children.keySet());
    } finally {
      tree.readLock().unlock();
    }
  }

  /** A name in a directory and what stat says about it. */
  public record Child(String name, NodeInfo info) {}

  /** The path of the node numbered {@code inode} ("" for the root); ENOENT when no name leads to it any more. */
  public String pathOf(long inode) throws ErrnoException {
    tree.readLock().lock();
    try {
      return node(inode, "lookup").path();
    } finally {
      tree.readLock().unlock();
    }
  }

  /** What stat says about the node numbered {@code inode}; ENOENT when it has no name any more. */
  public NodeInfo stat(long inode) throws IOException {
    TreeNode n;
    tree.readLock().lock();
    try {
      n = node(inode, "stat");
    } finally {
      tree.readLock().unlock();
    }
    return info(n);
  }

  /** The entry {@code name} of directory {@code dirInode}, or empty when there is none. */
  public Optional<NodeInfo> lookup(long dirInode, String name) throws IOException {
    TreeNode n;
    tree.readLock().lock();
    try {
      if (!(node(dirInode, "lookup") instanceof DirNode d)) {
        throw new ErrnoException(Errno.ENOTDIR, "lookup " + name + ": inode " + dirInode + " is not a directory");
      }
      n = d.children.get(name);
    } finally {
      tree.readLock().unlock();
    }
    return n == null ? Optional.empty() : Optional.of(info(n));
  }

  /** The entries of directory {@code dirInode} in UTF-8 byte order of their names. */
  public List<Child> children(long dirInode) throws IOException {
    List<TreeNode> nodes;
    tree.readLock().lock();
    try {
      if (!(node(dirInode, "list") instanceof DirNode d)) {
        throw new ErrnoException(Errno.ENOTDIR, "list inode " + dirInode + ": not a directory");
      }
      nodes = new ArrayList<>(d.children.values());
    } finally {
      tree.readLock().unlock();
    }
    List<Child> out = new ArrayList<>(nodes.size());
    for (TreeNode n : nodes) {
      out.add(new Child(n.name, info(n)));
    }
    return out;
  }

  /** Caller holds the tree lock. */
  private TreeNode node(long inode, String operation) throws ErrnoException {
    TreeNode n = byInode.get(inode);
    if (n == null) {
      throw new ErrnoException(Errno.ENOENT, operation + ": inode " + inode + " has no name in the collection");
    }
    return n;
  }

  private NodeInfo info(TreeNode n) {
    return switch (n) {
      case DirNode d -> {
        tree.readLock().lock();
        try {
          yield new NodeInfo(d.inode, true, 0, d.children.size(), d.mtime);
        } finally {
          tree.readLock().unlock();
        }
      }
      case FileNode f -> {
        f.lock.readLock().lock();
        try {
          yield new NodeInfo(f.inode, false, f.content.size(), 0, f.mtime);
        } finally {
          f.lock.readLock().unlock();
        }
      }
    };
  }

  private Optional<TreeNode> resolve(String path) throws IOException {
    tree.readLock().lock();
    try {
      return Optional.of(lookup(path, "lookup"));
    } catch (ErrnoException e) {
      if (e.errno() == Errno.ENOENT) {
        return Optional.empty();
      }
      throw e;
    } finally {
      tree.readLock().unlock();
    }
  }

  private record Parent(DirNode dir, String name) {}

  private static List<String> components(String path) throws ErrnoException {
    List<String> out = new ArrayList<>();
    for (String c : path.split("/")) {
      if (!c.isEmpty()) {
        out.add(Names.check(c));
      }
    }
    return out;
  }

  /** The node at {@code path}. Caller holds the tree lock. */
  private TreeNode lookup(String path, String operation) throws ErrnoException {
    TreeNode n = root;
    for (String c : components(path)) {
      if (!(n instanceof DirNode d)) {
        throw new ErrnoException(Errno.ENOTDIR, operation + " " + path + ": '" + n.name + "' is not a directory");
      }
      n = d.children.get(c);
      if (n == null) {
        throw new ErrnoException(Errno.ENOENT, operation + " " + path + ": '" + c + "' does not exist");
      }
    }
    return n;
  }

  /** The directory that holds (or would hold) {@code path}, and the last name. Caller holds the tree lock. */
  private Parent parentOf(String path) throws ErrnoException {
    List<String> parts = components(path);
    if (parts.isEmpty()) {
      throw new ErrnoException(Errno.EBUSY, "'" + path + "' is the collection's root");
    }
    TreeNode n = lookup(String.join("/", parts.subList(0, parts.size() - 1)), "lookup");
    if (!(n instanceof DirNode d)) {
      throw new ErrnoException(Errno.ENOTDIR, path + ": '" + n.name + "' is not a directory");
    }
    return new Parent(d, parts.getLast());
  }

  /**
   * Brings a merge's result into the live tree: paths where {@code merged} differs from {@code ours}
   * (the tree as {@code captured} for the commit) take the merged entry, unless the live file changed
   * after the capture (a newer local change wins; it goes out with the next commit). Does not count as
   * a change: the committed tree is now the live one.
   */
  public void absorb(CapturedTree captured, Directory ours, Directory merged) throws IOException {
    Map<String, TreeEntry> o = FlatTree.of(ours);
    Map<String, TreeEntry> m = FlatTree.of(merged);
    Map<String, CapturedTree.CapturedFile> then = new java.util.HashMap<>();
    for (CapturedTree.CapturedFile f : captured.files()) {
      then.put(f.path(), f);
    }
    List<FileNode> unlinked = new ArrayList<>();
    tree.writeLock().lock();
    try {
      for (Map.Entry<String, TreeEntry> e : m.entrySet()) {
        String p = e.getKey();
        if (TreeEntry.same(o.get(p), e.getValue())) {
          continue;
        }
        TreeNode live = resolveOrNull(p);
        switch (e.getValue()) {
          case TreeEntry.Dir d -> {
            if (live == null) {
              mkdirs(p);
            }
          }
          case TreeEntry.FileContent f -> {
            if (live == null && !o.containsKey(p)) {
              DirNode parent = mkdirs(parentPath(p));
              String name = p.substring(p.lastIndexOf('/') + 1);
              if (!parent.children.containsKey(name)) {
                FileNode created = new FileNode(nextInode.getAndIncrement(), parent, name, ctx.clock().instant(),
                    FileContent.of(f.segments()));
                parent.children.put(name, created);
                byInode.put(created.inode, created);
              }
            } else if (live instanceof FileNode file && unchangedSince(file, then.get(p))) {
              file.lock.writeLock().lock();
              try {
                file.content = FileContent.of(f.segments());
                file.version++;
              } finally {
                file.lock.writeLock().unlock();
              }
            }
          }
        }
      }
      for (String p : o.keySet()) {
        if (m.containsKey(p)) {
          continue;
        }
        TreeNode live = resolveOrNull(p);
        if (live instanceof FileNode file && unchangedSince(file, then.get(p))) {
          file.parent.children.remove(file.name);
          byInode.remove(file.inode);
          unlinked.add(file);
        }
      }
      for (String p : new java.util.TreeSet<>(o.keySet()).descendingSet()) {
        if (!m.containsKey(p) && resolveOrNull(p) instanceof DirNode d && d.children.isEmpty()) {
          d.parent.children.remove(d.name);
          byInode.remove(d.inode);
        }
      }
    } finally {
      tree.writeLock().unlock();
    }
    for (FileNode f : unlinked) {
      f.unlinked();
    }
  }

  private static boolean unchangedSince(FileNode file, CapturedTree.CapturedFile then) {
    if (then == null || then.inode() != file.inode) {
      return false;
    }
    file.lock.readLock().lock();
    try {
      return file.version == then.version();
    } finally {
      file.lock.readLock().unlock();
    }
  }

  private static String parentPath(String p) {
    int slash = p.lastIndexOf('/');
    return slash < 0 ? "" : p.substring(0, slash);
  }

  /** Caller holds the tree write lock. */
  private TreeNode resolveOrNull(String path) {
    try {
      return lookup(path, "lookup");
    } catch (ErrnoException e) {
      return null;
    }
  }

  /** The directory at {@code path}, created with its parents as needed. Caller holds the tree write lock. */
  private DirNode mkdirs(String path) throws ErrnoException {
    DirNode d = root;
    for (String c : components(path)) {
      TreeNode n = d.children.get(c);
      if (n == null) {
        DirNode created = new DirNode(nextInode.getAndIncrement(), d, c, ctx.clock().instant());
        d.children.put(c, created);
        byInode.put(created.inode, created);
        n = created;
      }
      if (!(n instanceof DirNode sub)) {
        throw new ErrnoException(Errno.ENOTDIR, "'" + path + "': '" + c + "' is a file");
      }
      d = sub;
    }
    return d;
  }

  // Capture, for commits and the spool.

  /**
   * The tree now. With {@code pack}, small buffered data is first packed into shared blocks and every
   * buffer is queued for upload, so {@link CapturedTree#resolve} can finish; without it (a spool
   * snapshot) nothing is moved.
   */
  public CapturedTree capture(boolean pack) throws IOException {
    return capture(pack, b -> {});
  }

  /** What to do with each buffer block of a file while the file is locked during a capture. */
  @FunctionalInterface
  public interface BufferVisitor {
    void visit(BufferBlock block) throws IOException;
  }

  /**
   * A capture that also shows {@code visitor} every buffer block a file points at, while that file is
   * locked (so the spool can make them durable before a write can repack them away).
   */
  public CapturedTree capture(boolean pack, BufferVisitor visitor) throws IOException {
    tree.writeLock().lock();
    try {
      long changeCount = changes.get();
      List<CapturedTree.CapturedFile> files = new ArrayList<>();
      List<String> dirs = new ArrayList<>();
      Packer packer = pack ? new Packer(ctx) : null;
      walk(root, "", files, dirs, packer, visitor);
      if (packer != null) {
        packer.finish();
      }
      return new CapturedTree(changeCount, files, dirs);
    } finally {
      tree.writeLock().unlock();
    }
  }

  private void walk(DirNode dir, String path, List<CapturedTree.CapturedFile> files, List<String> dirs, Packer packer,
      BufferVisitor visitor) throws IOException {
    if (!path.isEmpty()) {
      dirs.add(path);
    }
    for (TreeNode n : dir.children.values()) {
      if (n instanceof FileNode && isHiddenOpenFile(n.name)) {
        continue;
      }
      String p = path.isEmpty() ? n.name : path + "/" + n.name;
      switch (n) {
        case DirNode d -> walk(d, p, files, dirs, packer, visitor);
        case FileNode f -> {
          f.lock.writeLock().lock();
          try {
            if (packer != null) {
              pack(f, packer);
            }
            for (BufferBlock b : f.content.buffers()) {
              visitor.visit(b);
            }
            files.add(new CapturedTree.CapturedFile(p, f.content.extents(), f.inode, f.version));
          } finally {
            f.lock.writeLock().unlock();
          }
        }
      }
    }
  }

  /**
   * The prefix libfuse 2's high-level API gives a file that was unlinked while open (it renames the file
   * to {@code .fuse_hidden<n>} and unlinks that at the last close). Such files are never committed or
   * spooled: their name is gone as far as the program is concerned.
   */
  public static final String FUSE_HIDDEN_PREFIX = ".fuse_hidden";

  /** True for a name that stands for a file unlinked while open (see {@link #FUSE_HIDDEN_PREFIX}). */
  public static boolean isHiddenOpenFile(String name) {
    return name.startsWith(FUSE_HIDDEN_PREFIX);
  }

  /** Files at least this large in one unshared buffer are uploaded alone, not packed (as the Python SDK does). */
  static final long PACK_BELOW = 32L << 20;

  private void pack(FileNode f, Packer packer) throws IOException {
    for (BufferBlock b : f.content.buffers()) {
      if (b.state() != BufferBlock.State.WRITABLE) {
        continue;
      }
      long live = f.content.liveBytesIn(b);
      if (live >= PACK_BELOW && live == b.size()) {
        ctx.pipeline().submit(b);
      } else {
        f.content.moveInto(b, packer);
        b.discard();
      }
    }
    f.content.detachCurrent();
  }
}
