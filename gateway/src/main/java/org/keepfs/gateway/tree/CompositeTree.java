package org.keepfs.gateway.tree;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.keepfs.fs123.Attributes;
import org.keepfs.fs123.CacheControl;
import org.keepfs.fs123.DType;
import org.keepfs.fs123.DirEntry;
import org.keepfs.fs123.StatfsReply;
import org.keepfs.posix.Errno;
import org.keepfs.posix.ErrnoException;

/**
 * A root directory whose entries are named subtrees: {@code /<name>/rest} is {@code rest} in the tree
 * called {@code name}. The root itself is a read-only directory that never changes while the gateway
 * runs, so its validator is the start time and its cookie is 0 (never checked).
 */
public final class CompositeTree implements Fs123Tree {
  private static final long ROOT_INO = 1;

  private final Map<String, Fs123Tree> children;
  private final CacheControl rootCacheControl;
  private final Attributes rootStat;
  private final long rootValidator;

  /**
   * @param children subtrees by name, listed in this order
   * @param rootCacheControl Cache-Control for the root and for names that are not there
   * @param startNanos wall-clock start time in nanoseconds: the root's times and validator
   */
  public CompositeTree(Map<String, Fs123Tree> children, CacheControl rootCacheControl, long startNanos) {
    for (String name : children.keySet()) {
      new DirEntry(name, DType.DIR, 0); // validates the name: 1-255 bytes, no '/' or NUL
      if (name.equals(".") || name.equals("..")) {
        throw new IllegalArgumentException("a subtree cannot be named '" + name + "'");
      }
    }
    this.children = new LinkedHashMap<>(children);
    this.rootCacheControl = rootCacheControl;
    long sec = Math.floorDiv(startNanos, 1_000_000_000L);
    long nsec = Math.floorMod(startNanos, 1_000_000_000L);
    this.rootStat = new Attributes(Attributes.S_IFDIR | 0555, 2 + children.size(), 0, 0, 4096, sec, sec, sec,
        ROOT_INO, nsec, nsec, nsec, 0, 8, 4096, 0);
    this.rootValidator = startNanos;
  }

  public Map<String, Fs123Tree> children() {
    return Map.copyOf(children);
  }

  private record Route(Fs123Tree tree, String rest) {}

  /** The subtree and its path for a non-root path. */
  private Route route(String path) throws ErrnoException {
    int slash = path.indexOf('/', 1);
    String name = slash < 0 ? path.substring(1) : path.substring(1, slash);
    Fs123Tree tree = children.get(name);
    if (tree == null) {
      throw new ErrnoException(Errno.ENOENT, "no export named " + name);
    }
    return new Route(tree, slash < 0 ? "" : path.substring(slash));
  }

  @Override
  public NodeAttributes attributes(String path) throws ErrnoException {
    if (path.isEmpty()) {
      return new NodeAttributes(rootStat, rootValidator, 0);
    }
    Route r = route(path);
    return r.tree().attributes(r.rest());
  }

  @Override
  public DirPage list(String path, boolean begin, long offset, int budgetBytes) throws ErrnoException {
    if (!path.isEmpty()) {
      Route r = route(path);
      return r.tree().list(r.rest(), begin, offset, budgetBytes);
    }
    List<DirEntry> entries = new ArrayList<>(children.size() + 2);
    entries.add(new DirEntry(".", DType.DIR, 0));
    entries.add(new DirEntry("..", DType.DIR, 0));
    for (Map.Entry<String, Fs123Tree> e : children.entrySet()) {
      long cookie;
      try {
        cookie = e.getValue().attributes("").cookie();
      } catch (ErrnoException x) {
        cookie = 0;
      }
      entries.add(new DirEntry(e.getKey(), DType.DIR, cookie));
    }
    return new EncodedListing(entries).page(begin, offset, budgetBytes, rootValidator, 0);
  }

  @Override
  public java.util.Optional<DirPage> listWithAttributes(String path, boolean begin, long offset, int budgetBytes)
      throws ErrnoException {
    if (path.isEmpty()) {
      return java.util.Optional.empty();
    }
    Route r = route(path);
    return r.tree().listWithAttributes(r.rest(), begin, offset, budgetBytes);
  }

  @Override
  public FileRead read(String path, long offset, ByteBuffer into) throws ErrnoException {
    if (path.isEmpty()) {
      throw new ErrnoException(Errno.EISDIR, "the root is a directory");
    }
    Route r = route(path);
    return r.tree().read(r.rest(), offset, into);
  }

  @Override
  public byte[] readlink(String path) throws ErrnoException {
    if (path.isEmpty()) {
      throw new ErrnoException(Errno.EINVAL, "the root is not a symlink");
    }
    Route r = route(path);
    return r.tree().readlink(r.rest());
  }

  @Override
  public StatfsReply statfs(String path) throws ErrnoException {
    if (path.isEmpty()) {
      if (children.isEmpty()) {
        return new StatfsReply(4096, 4096, 0, 0, 0, 0, 0, 0, 0, 1, 255);
      }
      return children.values().iterator().next().statfs("");
    }
    Route r = route(path);
    return r.tree().statfs(r.rest());
  }

  @Override
  public byte[] xattr(String path, String name) throws ErrnoException {
    if (path.isEmpty()) {
      if (name.isEmpty()) {
        return new byte[0];
      }
      throw new ErrnoException(Errno.ENODATA, "the root has no extended attributes");
    }
    Route r = route(path);
    return r.tree().xattr(r.rest(), name);
  }

  @Override
  public boolean mayWait(String path) {
    if (path.isEmpty()) {
      // The root's listing asks every subtree for its cookie.
      return children.values().stream().anyMatch(t -> t.mayWait(""));
    }
    int slash = path.indexOf('/', 1);
    Fs123Tree tree = children.get(slash < 0 ? path.substring(1) : path.substring(1, slash));
    return tree != null && tree.mayWait(slash < 0 ? "" : path.substring(slash));
  }

  @Override
  public CacheControl cacheControl(String path, boolean directory) {
    if (path.isEmpty()) {
      return rootCacheControl;
    }
    int slash = path.indexOf('/', 1);
    String name = slash < 0 ? path.substring(1) : path.substring(1, slash);
    Fs123Tree tree = children.get(name);
    return tree == null ? rootCacheControl : tree.cacheControl(slash < 0 ? "" : path.substring(slash), directory);
  }
}
