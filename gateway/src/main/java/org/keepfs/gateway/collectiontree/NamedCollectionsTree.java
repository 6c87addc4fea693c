package org.keepfs.gateway.collectiontree;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.keepfs.collection.CollectionHead;
import org.keepfs.collection.CollectionName;
import org.keepfs.collection.CollectionStore;
import org.keepfs.fs123.Attributes;
import org.keepfs.fs123.CacheControl;
import org.keepfs.fs123.DType;
import org.keepfs.fs123.DirEntry;
import org.keepfs.fs123.StatfsReply;
import org.keepfs.gateway.tree.DirPage;
import org.keepfs.gateway.tree.EncodedListing;
import org.keepfs.gateway.tree.FileRead;
import org.keepfs.gateway.tree.Fs123Tree;
import org.keepfs.gateway.tree.NodeAttributes;
import org.keepfs.manifest.Manifest;
import org.keepfs.posix.Errno;
import org.keepfs.posix.ErrnoException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /collections/<name>/...}: the current head of each named collection. Every request about a
 * name reads its head afresh, so a reply is never older than the store; replies carry a short
 * max-age. Validators are the head's version, which only grows; the cookie of a collection's
 * directories changes whenever the name points at another manifest (see {@link Fingerprint}).
 *
 * <p>The root lists the names. That reads every head, so the listing is kept for a short while.
 */
public final class NamedCollectionsTree implements Fs123Tree {
  private static final Logger LOG = LoggerFactory.getLogger(NamedCollectionsTree.class);
  private static final long ROOT_COOKIE = Fingerprint.ofName("collections");

  private final CollectionStore store;
  private final ManifestCache manifests;
  private final SegmentReader reader;
  private final CacheControl cacheControl;
  private final long namesTtlNanos;
  private final LongSupplier nanoTime;
  private volatile Names names;

  /** A listing of the root, as of {@code takenAt}. */
  private record Names(long takenAt, EncodedListing listing, long validator, long mtimeNanos, int count) {}

  /**
   * @param cacheControl for every reply: names move, so keep max-age short
   * @param namesTtl how long a listing of the names is reused before the heads are read again
   */
  public NamedCollectionsTree(CollectionStore store, ManifestCache manifests, SegmentReader reader,
      CacheControl cacheControl, Duration namesTtl) {
    this(store, manifests, reader, cacheControl, namesTtl, System::nanoTime);
  }

  NamedCollectionsTree(CollectionStore store, ManifestCache manifests, SegmentReader reader, CacheControl cacheControl,
      Duration namesTtl, LongSupplier nanoTime) {
    this.store = store;
    this.manifests = manifests;
    this.reader = reader;
    this.cacheControl = cacheControl;
    this.namesTtlNanos = namesTtl.toNanos();
    this.nanoTime = nanoTime;
  }

  private record Route(String name, String rest) {}

  private static Route route(String path) {
    int slash = path.indexOf('/', 1);
    return new Route(slash < 0 ? path.substring(1) : path.substring(1, slash), slash < 0 ? "" : path.substring(slash));
  }

  private CollectionView view(String name) throws ErrnoException {
    Optional<CollectionHead> head;
    try {
      head = store.head(CollectionName.check(name));
    } catch (IllegalArgumentException e) {
      throw new ErrnoException(Errno.ENOENT, e.getMessage());
    } catch (IOException e) {
      LOG.warn("cannot read the head of collection '{}': {}", name, e.toString());
      throw new ErrnoException(Errno.EIO, "cannot read the head of collection '" + name + "': " + e.getMessage(), e);
    }
    CollectionHead h = head.orElseThrow(() -> new ErrnoException(Errno.ENOENT, "there is no collection named '" + name + "'"));
    Manifest m = manifests.get(h.pdh()).orElseThrow(() -> {
      LOG.error("collection '{}' points at manifest {}, which the store does not have", name, h.pdh());
      return new ErrnoException(Errno.EIO, "collection '" + name + "' points at a manifest the store does not have");
    });
    return new CollectionView(h.pdh(), m, h.version(),
        h.modifiedAt().getEpochSecond() * 1_000_000_000L + h.modifiedAt().getNano());
  }

  private Names names() throws ErrnoException {
    Names n = names;
    long now = nanoTime.getAsLong();
    if (n != null && now - n.takenAt() < namesTtlNanos) {
      return n;
    }
    List<CollectionHead> heads;
    try {
      heads = new ArrayList<>(store.heads());
    } catch (IOException e) {
      LOG.warn("cannot list collections: {}", e.toString());
      throw new ErrnoException(Errno.EIO, "cannot list collections: " + e.getMessage(), e);
    }
    heads.sort(Comparator.comparing(CollectionHead::name));
    List<DirEntry> entries = new ArrayList<>(heads.size() + 2);
    entries.add(new DirEntry(".", DType.DIR, 0));
    entries.add(new DirEntry("..", DType.DIR, 0));
    // Every head starts at version 1 and only grows, and names are never removed, so the sum of the
    // versions grows with every create and update: a validator without clocks.
    long validator = 0;
    long mtime = 0;
    for (CollectionHead h : heads) {
      entries.add(new DirEntry(h.name(), DType.DIR, Fingerprint.ofDirectory(h.pdh(), "")));
      validator += h.version();
      mtime = Math.max(mtime, h.modifiedAt().getEpochSecond() * 1_000_000_000L + h.modifiedAt().getNano());
    }
    n = new Names(now, new EncodedListing(entries), validator, mtime, heads.size());
    names = n;
    return n;
  }

  @Override
  public NodeAttributes attributes(String path) throws ErrnoException {
    if (path.isEmpty()) {
      Names n = names();
      long sec = Math.floorDiv(n.mtimeNanos(), 1_000_000_000L);
      long nsec = Math.floorMod(n.mtimeNanos(), 1_000_000_000L);
      return new NodeAttributes(new Attributes(Attributes.S_IFDIR | 0555, 2 + n.count(), 0, 0, 4096, sec, sec, sec,
          ROOT_COOKIE, nsec, nsec, nsec, 0, 8, 4096, 0), n.validator(), ROOT_COOKIE);
    }
    Route r = route(path);
    return view(r.name()).attributes(r.rest());
  }

  @Override
  public DirPage list(String path, boolean begin, long offset, int budgetBytes) throws ErrnoException {
    if (path.isEmpty()) {
      Names n = names();
      return n.listing().page(begin, offset, budgetBytes, n.validator(), ROOT_COOKIE);
    }
    Route r = route(path);
    return view(r.name()).list(r.rest(), begin, offset, budgetBytes, manifests);
  }

  @Override
  public FileRead read(String path, long offset, ByteBuffer into) throws ErrnoException {
    if (path.isEmpty()) {
      throw new ErrnoException(Errno.EISDIR, "/collections is a directory");
    }
    Route r = route(path);
    return view(r.name()).read(r.rest(), offset, into, reader);
  }

  @Override
  public byte[] readlink(String path) throws ErrnoException {
    if (path.isEmpty()) {
      throw new ErrnoException(Errno.EINVAL, "/collections is not a symbolic link");
    }
    Route r = route(path);
    return view(r.name()).readlink(r.rest());
  }

  @Override
  public StatfsReply statfs(String path) throws ErrnoException {
    if (!path.isEmpty()) {
      view(route(path).name());
    }
    return CollectionStatfs.REPLY;
  }

  @Override
  public byte[] xattr(String path, String name) throws ErrnoException {
    if (path.isEmpty()) {
      if (name.isEmpty()) {
        return new byte[0];
      }
      throw new ErrnoException(Errno.ENODATA, "/collections has no extended attributes");
    }
    Route r = route(path);
    return view(r.name()).xattr(r.rest(), name);
  }

  @Override
  public boolean mayWait(String path) {
    return true; // heads are read from the store on every request
  }

  @Override
  public CacheControl cacheControl(String path, boolean directory) {
    return cacheControl;
  }
}
