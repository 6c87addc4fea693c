package org.keepfs.client.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
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
import org.keepfs.posix.Errno;
import org.keepfs.posix.ErrnoException;

class PathResolverTest {
  /** /a/b/c/file and /a/plain, inodes by path; counts lookups. */
  static final class Tree implements FileSystem {
    final boolean stable;
    final Duration timeout;
    final AtomicInteger lookups = new AtomicInteger();
    final Map<String, NodeType> nodes = Map.of("/a", NodeType.DIRECTORY, "/a/b", NodeType.DIRECTORY, "/a/b/c", NodeType.DIRECTORY,
        "/a/b/c/file", NodeType.FILE, "/a/plain", NodeType.FILE);
    final Map<Long, String> paths = new java.util.concurrent.ConcurrentHashMap<>(Map.of(ROOT_INODE, ""));

    Tree(boolean stable, Duration timeout) {
      this.stable = stable;
      this.timeout = timeout;
    }

    @Override
    public boolean pathsAreStable() {
      return stable;
    }

    static NodeAttributes attrs(long ino, NodeType type) {
      Instant t = Instant.EPOCH;
      return new NodeAttributes(ino, type, 0555, 1, 0, 0, 0, t, t, t);
    }

    @Override
    public Lookup lookup(long parent, String name) {
      lookups.incrementAndGet();
      String path = paths.get(parent) + "/" + name;
      NodeType type = nodes.get(path);
      if (type == null) {
        return new NoEntry(timeout);
      }
      long ino = path.hashCode() & 0xffffffL | 2;
      paths.put(ino, path);
      return new Entry(attrs(ino, type), timeout, timeout);
    }

    @Override
    public TimedAttributes getattr(long ino) {
      return new TimedAttributes(attrs(ino, ino == ROOT_INODE ? NodeType.DIRECTORY : nodes.get(paths.get(ino))), timeout);
    }

    @Override
    public void readdir(long dir, long offset, DirectorySink sink) {}

    @Override
    public OpenFile open(long ino, OpenFlags flags) throws IOException {
      throw new ErrnoException(Errno.EISDIR, "not here");
    }

    @Override
    public String readlink(long ino) throws IOException {
      throw new ErrnoException(Errno.EINVAL, "not here");
    }

    @Override
    public FsStats statfs() {
      return new FsStats(4096, 0, 0, 0, 0, 0, 255);
    }
  }

  @Test
  void stablePathsRememberDirectoriesSoADeepPathCostsOneLookup() throws Exception {
    Tree fs = new Tree(true, Duration.ofSeconds(60));
    PathResolver r = new PathResolver(fs);
    Entry first = (Entry) r.resolve("/a/b/c/file");
    assertEquals(4, fs.lookups.get());
    Entry again = (Entry) r.resolve("/a/b/c/file");
    assertEquals(5, fs.lookups.get(), "only the last component is looked up again");
    assertEquals(first.ino(), again.ino());
    assertEquals(NodeType.DIRECTORY, ((Entry) r.resolve("/a/b")).attributes().type());
    assertInstanceOf(NoEntry.class, r.resolve("/a/b/missing"));
    assertInstanceOf(NoEntry.class, r.resolve("/a/nothere/file"));
    ErrnoException notDir = assertThrows(ErrnoException.class, () -> r.resolve("/a/plain/x"));
    assertEquals(Errno.ENOTDIR, notDir.errno());
    assertEquals(NodeType.DIRECTORY, ((Entry) r.resolve("/")).attributes().type());
  }

  @Test
  void withoutStablePathsOrWithoutTimeoutsEveryComponentIsLookedUp() throws Exception {
    for (Tree fs : new Tree[] {new Tree(false, Duration.ofSeconds(60)), new Tree(true, Duration.ZERO)}) {
      PathResolver r = new PathResolver(fs);
      r.resolve("/a/b/c/file");
      r.resolve("/a/b/c/file");
      assertEquals(8, fs.lookups.get(), "stable " + fs.stable + ", timeout " + fs.timeout);
    }
  }
}
