package org.keepfs.client.mount;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.keepfs.client.collection.CollectionSource;
import org.keepfs.client.collection.CollectionTree;
import org.keepfs.client.fs.DirEntry;
import org.keepfs.client.fs.DirectorySink;
import org.keepfs.client.fs.Entry;
import org.keepfs.client.fs.FileSystem;
import org.keepfs.client.fs.FsStats;
import org.keepfs.client.fs.Lookup;
import org.keepfs.client.fs.NoEntry;
import org.keepfs.client.fs.NodeAttributes;
import org.keepfs.client.fs.NodeType;
import org.keepfs.client.fs.OpenFile;
import org.keepfs.client.fs.OpenFlags;
import org.keepfs.client.fs.TimedAttributes;
import org.keepfs.client.remote.RemoteTree;
import org.keepfs.fs123.DType;
import org.keepfs.posix.Errno;
import org.keepfs.posix.ErrnoException;

/**
 * The read-only filesystem of one mount. The gateway's fs123 tree is the root; at the root,
 * {@code by_id/<pdh>} and {@code collections/<name>} are collections answered from their manifests
 * (so those two names are the client's, whatever the fs123 root holds), and {@code .keepfs/stats}
 * shows the caches' and the HTTP layer's counters.
 */
public final class GatewayFileSystem implements FileSystem {
  static final String CONTROL_DIR = ".keepfs";
  static final String STATS_FILE = "stats";
  private static final Duration SYNTHETIC_TIMEOUT = Duration.ofSeconds(1);

  private final RemoteTree remote;
  private final CollectionSource collections;
  private final CollectionTree collectionTree;
  private final Supplier<String> stats;
  private final InodeTable inodes;
  private final boolean rootIsGatewayRoot;

  /**
   * @param subdir what the mount shows: "" for the whole gateway, an export path, {@code by_id/<pdh>}
   *     or {@code collections/<name>} (and paths below them)
   */
  public GatewayFileSystem(RemoteTree remote, CollectionSource collections, CollectionTree collectionTree,
      Supplier<String> stats, String subdir) {
    this.remote = remote;
    this.collections = collections;
    this.collectionTree = collectionTree;
    this.stats = stats;
    Node root = rootFor(subdir);
    this.inodes = new InodeTable(root);
    this.rootIsGatewayRoot = root.equals(new Node.Remote(""));
  }

  static Node rootFor(String subdir) {
    String s = subdir;
    while (s.startsWith("/")) {
      s = s.substring(1);
    }
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    if (s.isEmpty()) {
      return new Node.Remote("");
    }
    String[] parts = s.split("/", 3);
    for (Node.Kind k : Node.Kind.values()) {
      if (parts[0].equals(k.dirName)) {
        if (parts.length == 1) {
          return new Node.CollectionDir(k);
        }
        return new Node.InCollection(k, parts[1], parts.length == 3 ? parts[2] : "");
      }
    }
    for (String part : s.split("/")) {
      if (part.isEmpty() || part.equals(".") || part.equals("..")) {
        throw new IllegalArgumentException("--subdir '" + subdir + "' must be a plain path (no empty, '.' or '..' parts)");
      }
    }
    return new Node.Remote("/" + s);
  }

  /** Inodes are assigned by path and never reused: see {@link InodeTable}. */
  @Override
  public boolean pathsAreStable() {
    return true;
  }

  @Override
  public Lookup lookup(long parent, String name) throws IOException {
    Node p = inodes.node(parent);
    if (parent == ROOT_INODE && name.equals(CONTROL_DIR)) {
      Node c = new Node.ControlDir();
      return entry(synthetic(inodes.inoOf(c), NodeType.DIRECTORY, 0));
    }
    switch (p) {
      case Node.Remote r -> {
        if (rootIsGatewayRoot && r.path().isEmpty()) {
          for (Node.Kind k : Node.Kind.values()) {
            if (name.equals(k.dirName)) {
              return entry(synthetic(inodes.inoOf(new Node.CollectionDir(k)), NodeType.DIRECTORY, 0));
            }
          }
        }
        Node.Remote child = new Node.Remote(r.path() + "/" + name);
        return remote.lookup(child.path(), inodes.inoOf(child));
      }
      case Node.CollectionDir d -> {
        Node.InCollection child = new Node.InCollection(d.kind(), name, "");
        return lookupInCollection(child);
      }
      case Node.InCollection c -> {
        return lookupInCollection(c.child(name));
      }
      case Node.ControlDir c -> {
        if (name.equals(STATS_FILE)) {
          return entry(statsAttributes(inodes.inoOf(new Node.StatsFile())));
        }
        return new NoEntry(SYNTHETIC_TIMEOUT);
      }
      case Node.StatsFile s -> throw new ErrnoException(Errno.ENOTDIR, ".keepfs/stats is not a directory");
    }
  }

  private Lookup lookupInCollection(Node.InCollection c) throws IOException {
    CollectionSource.Loaded loaded;
    try {
      loaded = load(c);
    } catch (ErrnoException e) {
      if (e.errno() == Errno.ENOENT) {
        return NoEntry.UNCACHED;
      }
      throw e;
    }
    Optional<org.keepfs.manifest.Node> n = collectionTree.resolve(loaded, c.path());
    if (n.isEmpty()) {
      return new NoEntry(loaded.kernelTimeout());
    }
    TimedAttributes a = collectionTree.attributes(loaded, n.get(), inodes.inoOf(c));
    return new Entry(a.attributes(), a.timeout(), a.timeout());
  }

  private CollectionSource.Loaded load(Node.InCollection c) throws IOException {
    return c.kind() == Node.Kind.BY_ID ? collections.byId(c.id()) : collections.byName(c.id());
  }

  private org.keepfs.manifest.Node resolve(Node.InCollection c, CollectionSource.Loaded loaded) throws ErrnoException {
    return collectionTree.resolve(loaded, c.path()).orElseThrow(() -> new ErrnoException(Errno.ENOENT,
        c.kind().dirName + "/" + c.id() + "/" + c.path() + " no longer exists"));
  }

  @Override
  public TimedAttributes getattr(long ino) throws IOException {
    Node n = inodes.node(ino);
    return switch (n) {
      case Node.Remote r -> remote.getattr(r.path(), ino);
      case Node.CollectionDir d -> synthetic(ino, NodeType.DIRECTORY, 0);
      case Node.InCollection c -> {
        CollectionSource.Loaded loaded = load(c);
        yield collectionTree.attributes(loaded, resolve(c, loaded), ino);
      }
      case Node.ControlDir c -> synthetic(ino, NodeType.DIRECTORY, 0);
      case Node.StatsFile s -> statsAttributes(ino);
    };
  }

  @Override
  public void readdir(long dir, long offset, DirectorySink sink) throws IOException {
    List<DirEntry> all = listing(dir);
    for (int i = (int) Math.min(offset, all.size()); i < all.size(); i++) {
      if (!sink.accept(all.get(i))) {
        return;
      }
    }
  }

  private List<DirEntry> listing(long dir) throws IOException {
    Node n = inodes.node(dir);
    List<DirEntry> out = new ArrayList<>();
    switch (n) {
      case Node.Remote r -> {
        Set<String> names = new LinkedHashSet<>();
        for (org.keepfs.fs123.DirEntry e : remote.list(r.path())) {
          if (dir == ROOT_INODE && (e.name().equals(CONTROL_DIR) || rootIsGatewayRoot && isCollectionDirName(e.name()))) {
            continue;
          }
          if (names.add(e.name())) {
            Node.Remote child = new Node.Remote(r.path() + "/" + e.name());
            out.add(new DirEntry(e.name(), inodes.inoOf(child), typeOf(e.dType()), out.size() + 1));
          }
        }
        if (rootIsGatewayRoot && r.path().isEmpty()) {
          for (Node.Kind k : Node.Kind.values()) {
            out.add(new DirEntry(k.dirName, inodes.inoOf(new Node.CollectionDir(k)), NodeType.DIRECTORY, out.size() + 1));
          }
        }
      }
      case Node.CollectionDir d -> {
        // Collections are found by name or PDH; there is no list of them to show.
      }
      case Node.InCollection c -> {
        CollectionSource.Loaded loaded = load(c);
        for (CollectionTree.Listed e : collectionTree.list(resolve(c, loaded), c.path())) {
          out.add(new DirEntry(e.name(), inodes.inoOf(c.child(e.name())), e.directory() ? NodeType.DIRECTORY : NodeType.FILE,
              out.size() + 1));
        }
      }
      case Node.ControlDir c ->
          out.add(new DirEntry(STATS_FILE, inodes.inoOf(new Node.StatsFile()), NodeType.FILE, 1));
      case Node.StatsFile s -> throw new ErrnoException(Errno.ENOTDIR, ".keepfs/stats is not a directory");
    }
    if (dir == ROOT_INODE) {
      out.add(new DirEntry(CONTROL_DIR, inodes.inoOf(new Node.ControlDir()), NodeType.DIRECTORY, out.size() + 1));
    }
    return out;
  }

  private static boolean isCollectionDirName(String name) {
    for (Node.Kind k : Node.Kind.values()) {
      if (k.dirName.equals(name)) {
        return true;
      }
    }
    return false;
  }

  private static NodeType typeOf(int dType) {
    return dType == DType.DIR ? NodeType.DIRECTORY : dType == DType.LNK ? NodeType.SYMLINK : NodeType.FILE;
  }

  @Override
  public OpenFile open(long ino, OpenFlags flags) throws IOException {
    if (flags.writes()) {
      throw new ErrnoException(Errno.EROFS, "this mount is read-only");
    }
    Node n = inodes.node(ino);
    return switch (n) {
      case Node.Remote r -> remote.open(r.path(), ino);
      case Node.InCollection c -> {
        CollectionSource.Loaded loaded = load(c);
        yield collectionTree.open(loaded, resolve(c, loaded), ino, c.path());
      }
      case Node.StatsFile s -> {
        String text = stats.get();
        yield new StatsFile(text, statsAttributes(ino, text));
      }
      case Node.CollectionDir d -> throw new ErrnoException(Errno.EISDIR, d.kind().dirName + " is a directory");
      case Node.ControlDir c -> throw new ErrnoException(Errno.EISDIR, CONTROL_DIR + " is a directory");
    };
  }

  @Override
  public String readlink(long ino) throws IOException {
    if (inodes.node(ino) instanceof Node.Remote r) {
      return remote.readlink(r.path());
    }
    throw new ErrnoException(Errno.EINVAL, "inode " + ino + " is not a symbolic link");
  }

  @Override
  public FsStats statfs() throws IOException {
    if (inodes.node(ROOT_INODE) instanceof Node.Remote) {
      return remote.statfs();
    }
    return new FsStats(4096, 0, 0, 0, 0, 0, 255);
  }

  /** True when {@code ino} is the {@code collections/} directory, where named collections are looked up. */
  boolean isNamedCollectionsDir(long ino) {
    try {
      return inodes.node(ino) instanceof Node.CollectionDir d && d.kind() == Node.Kind.NAMED;
    } catch (ErrnoException unknown) {
      return false;
    }
  }

  /** Inodes handed out so far (for the stats file). */
  public int inodeCount() {
    return inodes.size();
  }

  private static Entry entry(TimedAttributes a) {
    return new Entry(a.attributes(), a.timeout(), a.timeout());
  }

  private TimedAttributes statsAttributes(long ino) {
    return statsAttributes(ino, stats.get());
  }

  private static TimedAttributes statsAttributes(long ino, String text) {
    Instant now = Instant.now();
    return new TimedAttributes(new NodeAttributes(ino, NodeType.FILE, 0444, 1, text.getBytes(StandardCharsets.UTF_8).length,
        0, 0, now, now, now), Duration.ZERO);
  }

  private static TimedAttributes synthetic(long ino, NodeType type, long size) {
    Instant t = Instant.EPOCH;
    return new TimedAttributes(new NodeAttributes(ino, type, type == NodeType.DIRECTORY ? 0555 : 0444,
        type == NodeType.DIRECTORY ? 2 : 1, size, 0, 0, t, t, t), SYNTHETIC_TIMEOUT);
  }
}
