package org.keepfs.client.fuse.lowlevel;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which open handles each inode has. The kernel keeps an unlinked file's inode while it is open and
 * asks for its attributes by inode number alone (fstat sends no handle), which a filesystem that
 * has forgotten the name may no longer answer; one of the inode's handles can.
 */
final class HandlesByInode {
  private final Map<Long, Set<Long>> handles = new ConcurrentHashMap<>();

  void add(long ino, long handle) {
    handles.computeIfAbsent(ino, k -> ConcurrentHashMap.newKeySet()).add(handle);
  }

  void remove(long ino, long handle) {
    handles.computeIfPresent(ino, (k, set) -> {
      set.remove(handle);
      return set.isEmpty() ? null : set;
    });
  }

  /** Any open handle of {@code ino}, or -1. */
  long any(long ino) {
    Set<Long> set = handles.get(ino);
    if (set != null) {
      for (Long h : set) {
        return h;
      }
    }
    return -1;
  }
}
