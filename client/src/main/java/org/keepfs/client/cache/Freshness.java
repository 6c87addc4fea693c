package org.keepfs.client.cache;

/** Where a stored reply stands in its life, by the fs123 client's rules (see {@link FreshnessPolicy}). */
public enum Freshness {
  /** Within max-age: serve it, no traffic. */
  FRESH,
  /** Stale, but within stale-while-revalidate: serve it and refresh in the background. */
  STALE_WHILE_REVALIDATE,
  /** Stale beyond that but within stale-if-error: fetch; serve it only if the fetch fails. */
  STALE_IF_ERROR,
  /** Too old for anything: fetch, and fail if the fetch fails. */
  EXPIRED
}
