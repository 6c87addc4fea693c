package org.keepfs.gateway.export;

import java.util.concurrent.ConcurrentHashMap;
import org.keepfs.fs123.Attributes;
import org.keepfs.gateway.linux.LinuxFiles;
import org.keepfs.gateway.linux.Statx;
import org.keepfs.posix.ErrnoException;

/**
 * ESTALE cookies for regular files and directories.
 *
 * <p>The source is the inode generation ({@code FS_IOC_GETVERSION}, as exportd's default), which ext4,
 * xfs and btrfs change whenever an inode number is reused. Where that ioctl is unsupported (tmpfs,
 * overlayfs, NFS...) or the file cannot be opened for reading, the fallback is a hash of the inode number
 * and the birth time ({@code statx} btime), which also differs between two files that reuse an inode
 * number; where the filesystem records no birth time either, the change time stands in for it (then a
 * chmod also changes the cookie, which costs a client a refetch, never a wrong answer).
 *
 * <p>Generations are cached by (device, inode, change time): a reused inode number gets a new change
 * time, so a cached value can never describe a different inode.
 */
public final class EstaleCookies {
  private static final int MAX_ENTRIES = 200_000;

  private record Key(long dev, long ino, long ctime, long ctimeNsec) {
    // Looked up on every request: a plain mix instead of the record's general-purpose hash.
    @Override
    public int hashCode() {
      long h = ino * 0x9E3779B97F4A7C15L ^ ctimeNsec * 0xC2B2AE3D27D4EB4FL ^ ctime ^ dev << 32;
      return (int) (h ^ (h >>> 32));
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && k.ino == ino && k.ctimeNsec == ctimeNsec && k.ctime == ctime && k.dev == dev;
    }
  }

  private final ConcurrentHashMap<Key, Long> cache = new ConcurrentHashMap<>();

  /** The cookie for the object an {@code O_PATH} descriptor refers to; 0 for anything but files and directories. */
  public long cookie(int pathFd, Statx sx, String pathForErrors) {
    if (!hasCookie(sx)) {
      return 0;
    }
    long cached = cached(sx);
    return cached != 0 ? cached : computeAndCache(pathFd, sx, pathForErrors);
  }

  /** Whether objects of this type carry a cookie: regular files and directories do, nothing else. */
  public static boolean hasCookie(Statx sx) {
    return sx.attributes().isRegularFile() || sx.attributes().isDirectory();
  }

  /**
   * The cookie of this inode version if it is known already, else 0 (a cookie is never 0): lets a caller
   * that stat'ed a path without opening it open the object only when the cookie must be computed.
   */
  public long cached(Statx sx) {
    Attributes a = sx.attributes();
    Long cached = cache.get(new Key(a.dev(), a.ino(), a.ctime(), a.ctimeNsec()));
    return cached == null ? 0 : cached;
  }

  /** Computes the cookie of the file or directory {@code pathFd} refers to, and remembers it. */
  private long computeAndCache(int pathFd, Statx sx, String pathForErrors) {
    Attributes a = sx.attributes();
    Key key = new Key(a.dev(), a.ino(), a.ctime(), a.ctimeNsec());
    long cookie = compute(pathFd, sx, pathForErrors);
    if (cache.size() >= MAX_ENTRIES) {
      cache.clear();
    }
    cache.put(key, cookie);
    return cookie;
  }

  private static long compute(int pathFd, Statx sx, String pathForErrors) {
    try {
      int fd = LinuxFiles.reopenForReading(pathFd, pathForErrors);
      try {
        long generation = LinuxFiles.inodeGeneration(fd, pathForErrors);
        if (generation != 0) {
          return generation;
        }
      } finally {
        LinuxFiles.close(fd);
      }
    } catch (ErrnoException e) {
      // Unsupported here or unreadable: fall through to the documented fallback.
    }
    return fallback(sx);
  }

  /** The cookie when the inode generation is unavailable: inode number mixed with birth (or change) time. */
  static long fallback(Statx sx) {
    Attributes a = sx.attributes();
    long when = sx.birthNanos() >= 0 ? sx.birthNanos() : a.ctime() * 1_000_000_000L + a.ctimeNsec();
    long h = mix(a.ino() ^ 0x9E3779B97F4A7C15L) ^ when;
    h = mix(h);
    return h == 0 ? 1 : h;
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
