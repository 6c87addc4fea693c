package org.keepfs.client.writable;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Permission bits, owners and times programs set with chmod, chown and utimens. A manifest stores neither, so they
 * live only as long as the mount (tools such as {@code cp -p}, {@code tar} and {@code rsync} set them
 * and check them while they run); a commit does not carry them.
 */
final class LocalMetadata {
  static final int FILE_PERMISSIONS = 0644;
  static final int DIRECTORY_PERMISSIONS = 0755;

  /**
   * What was set on one node. {@code mtime} holds while the content's own mtime is still
   * {@code contentMtimeWhenSet}: a later write makes the file's real mtime show again.
   */
  private record Set(Optional<Integer> permissions, Optional<Instant> atime, Optional<Instant> mtime,
      Instant contentMtimeWhenSet) {}

  private final Map<Long, Set> byInode = new ConcurrentHashMap<>();
  private final Map<Long, Owner> owners = new ConcurrentHashMap<>();

  /** A node's owner and group. */
  record Owner(int uid, int gid) {}

  Owner owner(long ino, Owner otherwise) {
    return owners.getOrDefault(ino, otherwise);
  }

  void chown(long ino, java.util.OptionalInt uid, java.util.OptionalInt gid, Owner otherwise) {
    owners.compute(ino, (k, o) -> {
      Owner now = o == null ? otherwise : o;
      return new Owner(uid.orElse(now.uid()), gid.orElse(now.gid()));
    });
  }

  int permissions(long ino, boolean directory) {
    Set s = byInode.get(ino);
    return s != null && s.permissions.isPresent() ? s.permissions.get()
        : directory ? DIRECTORY_PERMISSIONS : FILE_PERMISSIONS;
  }

  Instant mtime(long ino, Instant contentMtime) {
    Set s = byInode.get(ino);
    return s != null && s.mtime.isPresent() && s.contentMtimeWhenSet.equals(contentMtime) ? s.mtime.get() : contentMtime;
  }

  Instant atime(long ino, Instant contentMtime) {
    Set s = byInode.get(ino);
    return s != null && s.atime.isPresent() ? s.atime.get() : mtime(ino, contentMtime);
  }

  void chmod(long ino, int permissions) {
    byInode.compute(ino, (k, s) -> s == null
        ? new Set(Optional.of(permissions), Optional.empty(), Optional.empty(), Instant.EPOCH)
        : new Set(Optional.of(permissions), s.atime, s.mtime, s.contentMtimeWhenSet));
  }

  void setTimes(long ino, Optional<Instant> atime, Optional<Instant> mtime, Instant contentMtime) {
    byInode.compute(ino, (k, s) -> {
      Optional<Integer> p = s == null ? Optional.empty() : s.permissions;
      Optional<Instant> a = atime.isPresent() ? atime : s == null ? Optional.empty() : s.atime;
      Optional<Instant> m = mtime.isPresent() ? mtime
          : s != null && s.contentMtimeWhenSet.equals(contentMtime) ? s.mtime : Optional.empty();
      return new Set(p, a, m, contentMtime);
    });
  }

}
