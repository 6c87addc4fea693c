package org.keepfs.gateway.collectiontree;

import java.nio.ByteBuffer;
import java.util.List;
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
import org.keepfs.manifest.PortableDataHash;
import org.keepfs.posix.Errno;
import org.keepfs.posix.ErrnoException;

/**
 * {@code /by_id/<pdh>/...}: every stored collection by its portable data hash. What a PDH names never
 * changes, so replies are cacheable for a year and validators and cookies are constants. The root
 * lists nothing (there is no index of every manifest, as in arv-mount's {@code by_id}), but looking up
 * any stored PDH works; a malformed PDH or one with no stored manifest is ENOENT.
 */
public final class ByIdTree implements Fs123Tree {
  /** Immutable content: a year, and {@code immutable} so browsers and proxies skip revalidation. */
  public static final CacheControl IMMUTABLE = CacheControl.maxAge(31_536_000).withImmutable(true);

  /** The validator of everything here: the content never changes. */
  static final long VALIDATOR = 1;

  private static final long ROOT_COOKIE = Fingerprint.ofName("by_id");
  private static final EncodedListing EMPTY_ROOT =
      new EncodedListing(List.of(new DirEntry(".", DType.DIR, 0), new DirEntry("..", DType.DIR, 0)));

  private final ManifestCache manifests;
  private final SegmentReader reader;
  private final CacheControl unknownCacheControl;

  /**
   * @param unknownCacheControl for a PDH with no stored manifest yet: it may be stored later, so its
   *     ENOENT must not be cached for long
   */
  public ByIdTree(ManifestCache manifests, SegmentReader reader, CacheControl unknownCacheControl) {
    this.manifests = manifests;
    this.reader = reader;
    this.unknownCacheControl = unknownCacheControl;
  }

  private record Route(PortableDataHash pdh, String rest) {}

  private static Route route(String path) throws ErrnoException {
    int slash = path.indexOf('/', 1);
    String first = slash < 0 ? path.substring(1) : path.substring(1, slash);
    try {
      return new Route(PortableDataHash.parse(first), slash < 0 ? "" : path.substring(slash));
    } catch (IllegalArgumentException e) {
      throw new ErrnoException(Errno.ENOENT, e.getMessage());
    }
  }

  private CollectionView view(String path) throws ErrnoException {
    PortableDataHash pdh = route(path).pdh();
    Manifest m = manifests.get(pdh).orElseThrow(() -> new ErrnoException(Errno.ENOENT, "no manifest is stored under " + pdh));
    return new CollectionView(pdh, m, VALIDATOR, 0);
  }

  @Override
  public NodeAttributes attributes(String path) throws ErrnoException {
    if (path.isEmpty()) {
      return new NodeAttributes(new Attributes(Attributes.S_IFDIR | 0555, 2, 0, 0, 4096, 0, 0, 0,
          ROOT_COOKIE, 0, 0, 0, 0, 8, 4096, 0), VALIDATOR, ROOT_COOKIE);
    }
    return view(path).attributes(route(path).rest());
  }

  @Override
  public DirPage list(String path, boolean begin, long offset, int budgetBytes) throws ErrnoException {
    if (path.isEmpty()) {
      return EMPTY_ROOT.page(begin, offset, budgetBytes, VALIDATOR, ROOT_COOKIE);
    }
    return view(path).list(route(path).rest(), begin, offset, budgetBytes, manifests);
  }

  @Override
  public FileRead read(String path, long offset, ByteBuffer into) throws ErrnoException {
    if (path.isEmpty()) {
      throw new ErrnoException(Errno.EISDIR, "/by_id is a directory");
    }
    return view(path).read(route(path).rest(), offset, into, reader);
  }

  @Override
  public byte[] readlink(String path) throws ErrnoException {
    if (path.isEmpty()) {
      throw new ErrnoException(Errno.EINVAL, "/by_id is not a symbolic link");
    }
    return view(path).readlink(route(path).rest());
  }

  @Override
  public StatfsReply statfs(String path) throws ErrnoException {
    if (!path.isEmpty()) {
      view(path);
    }
    return CollectionStatfs.REPLY;
  }

  @Override
  public byte[] xattr(String path, String name) throws ErrnoException {
    if (path.isEmpty()) {
      if (name.isEmpty()) {
        return new byte[0];
      }
      throw new ErrnoException(Errno.ENODATA, "/by_id has no extended attributes");
    }
    return view(path).xattr(route(path).rest(), name);
  }

  @Override
  public boolean mayWait(String path) {
    if (path.isEmpty()) {
      return false;
    }
    try {
      return !manifests.holds(route(path).pdh());
    } catch (ErrnoException e) {
      return false; // malformed: answered at once
    }
  }

  @Override
  public CacheControl cacheControl(String path, boolean directory) {
    if (path.isEmpty()) {
      return IMMUTABLE;
    }
    try {
      // A stored PDH never changes; a malformed one never becomes valid; only an unknown one may appear.
      return manifests.get(route(path).pdh()).isPresent() ? IMMUTABLE : unknownCacheControl;
    } catch (ErrnoException e) {
      return e.errno() == Errno.ENOENT ? IMMUTABLE : unknownCacheControl;
    }
  }
}
