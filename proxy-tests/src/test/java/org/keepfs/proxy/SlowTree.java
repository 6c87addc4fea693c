package org.keepfs.proxy;

import java.nio.ByteBuffer;
import org.keepfs.fs123.CacheControl;
import org.keepfs.fs123.StatfsReply;
import org.keepfs.gateway.tree.DirPage;
import org.keepfs.gateway.tree.FileRead;
import org.keepfs.gateway.tree.Fs123Tree;
import org.keepfs.gateway.tree.NodeAttributes;
import org.keepfs.posix.ErrnoException;

/**
 * A tree that answers like the one it wraps, but takes {@link #DELAY} milliseconds to read files whose
 * path contains a marker directory: long enough that concurrent readers of one URL certainly overlap at
 * the proxy, which must then send a single request to the origin.
 */
final class SlowTree implements Fs123Tree {
  static final long DELAY = 400;

  private final Fs123Tree tree;
  private final String marker;

  SlowTree(Fs123Tree tree, String marker) {
    this.tree = tree;
    this.marker = marker;
  }

  @Override
  public NodeAttributes attributes(String path) throws ErrnoException {
    return tree.attributes(path);
  }

  @Override
  public DirPage list(String path, boolean begin, long offset, int budgetBytes) throws ErrnoException {
    return tree.list(path, begin, offset, budgetBytes);
  }

  @Override
  public FileRead read(String path, long offset, ByteBuffer into) throws ErrnoException {
    if (path.contains(marker)) {
      try {
        Thread.sleep(DELAY);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return tree.read(path, offset, into);
  }

  @Override
  public byte[] readlink(String path) throws ErrnoException {
    return tree.readlink(path);
  }

  @Override
  public StatfsReply statfs(String path) throws ErrnoException {
    return tree.statfs(path);
  }

  @Override
  public byte[] xattr(String path, String name) throws ErrnoException {
    return tree.xattr(path, name);
  }

  @Override
  public CacheControl cacheControl(String path, boolean directory) {
    return tree.cacheControl(path, directory);
  }
}
