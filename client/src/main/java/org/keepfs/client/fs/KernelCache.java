package org.keepfs.client.fs;

/**
 * The caches of a front end that keeps names, attributes and pages on the filesystem's behalf (the
 * kernel, through FUSE), as far as the filesystem can drop entries from them when it learns that
 * something changed (a validator moved, a name went away). Calls return at once; the dropping
 * happens shortly after, off the caller's thread, so they are safe from inside any filesystem call.
 */
public interface KernelCache {
  /** Drops the cached pages and attributes of {@code ino}. */
  void invalidateInode(long ino);

  /** Drops the cached meaning (or absence) of {@code name} in directory {@code parent}. */
  void invalidateEntry(long parent, String name);
}
