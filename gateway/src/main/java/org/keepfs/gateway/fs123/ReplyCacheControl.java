package org.keepfs.gateway.fs123;

import org.keepfs.fs123.CacheControl;
import org.keepfs.posix.Errno;

/**
 * Cache-Control for replies whose value does not come from the tree's per-path rules: errno replies
 * other than ENOENT (short, so transient errors are not locked into caches), ENOTSUP (long: it will not
 * change), {@code /s} and {@code /n}. The defaults are exportd's.
 */
public record ReplyCacheControl(CacheControl error, CacheControl unsupported, CacheControl statfs, CacheControl statistics) {

  public static final CacheControl EXPORTD_ERROR =
      CacheControl.maxAge(30).withStaleWhileRevalidate(30).withStaleIfError(1_000_000);

  public ReplyCacheControl {
    for (CacheControl cc : new CacheControl[] {error, unsupported, statfs, statistics}) {
      if (cc.maxAge().isEmpty()) {
        throw new IllegalArgumentException("every fs123 reply needs a max-age; '" + cc + "' has none");
      }
    }
  }

  public static ReplyCacheControl defaults() {
    return new ReplyCacheControl(EXPORTD_ERROR,
        CacheControl.maxAge(86400).withStaleWhileRevalidate(864000),
        CacheControl.maxAge(30).withStaleWhileRevalidate(30),
        CacheControl.maxAge(1).withStaleWhileRevalidate(1));
  }

  public ReplyCacheControl withError(CacheControl cc) {
    return new ReplyCacheControl(cc, unsupported, statfs, statistics);
  }

  /** For an errno other than 0 and ENOENT (which take the path's rules). */
  public CacheControl forErrno(int errno) {
    return errno == Errno.EOPNOTSUPP ? unsupported : error;
  }
}
