package org.keepfs.client.fs;

/** What a front end with a page cache (the kernel) should do with cached pages of a file it opens. */
public enum PageCache {
  /** The content is unchanged since pages were cached: keep them. */
  KEEP,
  /** The content may have changed: drop cached pages at open. */
  DROP,
  /** Do not cache this file's pages at all (direct I/O), for example when its content has no lifetime. */
  BYPASS
}
