package org.keepfs.gateway.collectiontree;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.keepfs.fs123.Attributes;
import org.keepfs.fs123.DType;
import org.keepfs.fs123.DirEntry;
import org.keepfs.fs123.Fs123FormatException;
import org.keepfs.gateway.tree.DirPage;
import org.keepfs.gateway.tree.EncodedListing;
import org.keepfs.gateway.tree.FileRead;
import org.keepfs.gateway.tree.NodeAttributes;
import org.keepfs.manifest.Directory;
import org.keepfs.manifest.File;
import org.keepfs.manifest.Manifest;
import org.keepfs.manifest.Node;
import org.keepfs.manifest.PortableDataHash;
import org.keepfs.posix.Errno;
import org.keepfs.posix.ErrnoException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One manifest seen as a read-only tree, answering fs123's questions for paths inside it. Every node
 * shares the view's validator and times (a manifest says nothing about when each file changed); ESTALE
 * cookies come from {@link Fingerprint}.
 *
 * @param pdh the manifest's portable data hash
 * @param manifest the parsed manifest
 * @param validator reported for every node of this view
 * @param mtimeNanos modification (and change, access) time of every node, in nanoseconds since the epoch
 */
record CollectionView(PortableDataHash pdh, Manifest manifest, long validator, long mtimeNanos) {
  private static final Logger LOG = LoggerFactory.getLogger(CollectionView.class);

  /** The I/O size offered to programs: fs123 clients read 128 KiB at a time. */
  static final long BLOCK_SIZE_HINT = 128 * 1024;

  private Node node(String path) throws ErrnoException {
    Optional<Node> n = manifest.lookup(path);
    if (n.isPresent()) {
      return n.get();
    }
    // Tell "below a file" apart from "not there", as a POSIX filesystem would.
    int slash = path.length();
    while ((slash = path.lastIndexOf('/', slash - 1)) > 0) {
      if (manifest.lookup(path.substring(0, slash)).orElse(null) instanceof File) {
        throw new ErrnoException(Errno.ENOTDIR, path.substring(0, slash) + " is a file in collection " + pdh);
      }
    }
    throw new ErrnoException(Errno.ENOENT, "collection " + pdh + " has no " + (path.isEmpty() ? "/" : path));
  }

  NodeAttributes attributes(String path) throws ErrnoException {
    return attributes(path, node(path));
  }

  private NodeAttributes attributes(String path, Node node) {
    long sec = Math.floorDiv(mtimeNanos, 1_000_000_000L);
    long nsec = Math.floorMod(mtimeNanos, 1_000_000_000L);
    long ino = Fingerprint.inode(pdh, path);
    return switch (node) {
      case Directory d -> new NodeAttributes(new Attributes(Attributes.S_IFDIR | 0555, 2 + subdirectories(d), 0, 0, 4096,
          sec, sec, sec, ino, nsec, nsec, nsec, 0, 8, BLOCK_SIZE_HINT, 0), validator, Fingerprint.ofDirectory(pdh, path));
      case File f -> new NodeAttributes(new Attributes(Attributes.S_IFREG | 0444, 1, 0, 0, f.size(),
          sec, sec, sec, ino, nsec, nsec, nsec, 0, (f.size() + 511) / 512, BLOCK_SIZE_HINT, 0), validator,
          Fingerprint.ofFile(f));
    };
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

  DirPage list(String path, boolean begin, long offset, int budgetBytes, ManifestCache cache) throws ErrnoException {
    Node n = node(path);
    if (!(n instanceof Directory dir)) {
      throw new ErrnoException(Errno.ENOTDIR, path + " is a file in collection " + pdh);
    }
    EncodedListing listing = cache.listing(pdh, path);
    if (listing == null) {
      listing = encode(path, dir);
      cache.keepListing(pdh, path, listing);
    }
    return listing.page(begin, offset, budgetBytes, validator, Fingerprint.ofDirectory(pdh, path));
  }

  private EncodedListing encode(String path, Directory dir) {
    List<DirEntry> entries = new ArrayList<>(dir.size() + 2);
    entries.add(new DirEntry(".", DType.DIR, 0));
    entries.add(new DirEntry("..", DType.DIR, 0));
    for (int i = 0; i < dir.size(); i++) {
      String name = dir.name(i);
      Node child = dir.entry(i);
      try {
        entries.add(child instanceof File f
            ? new DirEntry(name, DType.REG, Fingerprint.ofFile(f))
            : new DirEntry(name, DType.DIR, Fingerprint.ofDirectory(pdh, path + "/" + name)));
      } catch (Fs123FormatException e) {
        // A name no POSIX directory can hold (over 255 bytes): it cannot be looked up either.
        LOG.warn("collection {}: not listing {}/{}: {}", pdh, path, name, e.getMessage());
      }
    }
    return new EncodedListing(entries);
  }

  FileRead read(String path, long offset, ByteBuffer into, SegmentReader reader) throws ErrnoException {
    File f = file(path);
    int n = reader.read(f, offset, into, pdh + path);
    return new FileRead(n, validator, Fingerprint.ofFile(f), f.size());
  }

  private File file(String path) throws ErrnoException {
    return switch (node(path)) {
      case File f -> f;
      case Directory d -> throw new ErrnoException(Errno.EISDIR, (path.isEmpty() ? "/" : path) + " is a directory");
    };
  }

  byte[] readlink(String path) throws ErrnoException {
    node(path);
    throw new ErrnoException(Errno.EINVAL, "collections hold no symbolic links");
  }

  byte[] xattr(String path, String name) throws ErrnoException {
    node(path);
    if (name.isEmpty()) {
      return new byte[0];
    }
    throw new ErrnoException(Errno.ENODATA, "collection entries have no extended attributes");
  }
}
