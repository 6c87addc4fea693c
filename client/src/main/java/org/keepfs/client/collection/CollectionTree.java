package org.keepfs.client.collection;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.keepfs.client.fs.NodeAttributes;
import org.keepfs.client.fs.NodeType;
import org.keepfs.client.fs.OpenFile;
import org.keepfs.client.fs.TimedAttributes;
import org.keepfs.manifest.Directory;
import org.keepfs.manifest.File;
import org.keepfs.manifest.Node;
import org.keepfs.posix.Errno;
import org.keepfs.posix.ErrnoException;

/**
 * Answers filesystem calls for paths inside a loaded collection ("" is its root, otherwise "a/b"),
 * from the parsed manifest alone. The caller owns inode numbers and passes them in.
 */
public final class CollectionTree {
  private static final int DIR_PERMISSIONS = 0555;
  private static final int FILE_PERMISSIONS = 0444;

  private final BlockFetcher blocks;

  public CollectionTree(BlockFetcher blocks) {
    this.blocks = blocks;
  }

  /** One listing entry: a name and whether it is a directory. */
  public record Listed(String name, boolean directory) {}

  public Optional<Node> resolve(CollectionSource.Loaded c, String path) {
    return c.manifest().root().resolve(path);
  }

  public TimedAttributes attributes(CollectionSource.Loaded c, Node node, long ino) {
    Instant t = c.modifiedAt();
    NodeAttributes a = switch (node) {
      case Directory d -> new NodeAttributes(ino, NodeType.DIRECTORY, DIR_PERMISSIONS, 2 + subdirectories(d), 4096, 0, 0, t, t, t);
      case File f -> new NodeAttributes(ino, NodeType.FILE, FILE_PERMISSIONS, 1, f.size(), 0, 0, t, t, t);
    };
    return new TimedAttributes(a, timeout(c));
  }

  public List<Listed> list(Node node, String path) throws ErrnoException {
    if (!(node instanceof Directory d)) {
      throw new ErrnoException(Errno.ENOTDIR, path + " is not a directory");
    }
    List<Listed> out = new ArrayList<>(d.size());
    for (int i = 0; i < d.size(); i++) {
      out.add(new Listed(d.name(i), d.isDirectory(i)));
    }
    return out;
  }

  public OpenFile open(CollectionSource.Loaded c, Node node, long ino, String path) throws IOException {
    if (!(node instanceof File f)) {
      throw new ErrnoException(Errno.EISDIR, path + " is a directory");
    }
    return new CollectionFile(f, blocks, attributes(c, node, ino));
  }

  /** Immutable collections may be cached by the kernel for long; named ones for what is left of the head's freshness. */
  private static Duration timeout(CollectionSource.Loaded c) {
    return c.kernelTimeout();
  }

  private static long subdirectories(Directory d) {
    long n = 0;
    for (int i = 0; i < d.size(); i++) {
      if (d.isDirectory(i)) {
        n++;
      }
    }
    return n;
  }
}
