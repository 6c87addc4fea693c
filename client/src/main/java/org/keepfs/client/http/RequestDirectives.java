package org.keepfs.client.http;

/**
 * What a request asks of caches between the client and the origin.
 *
 * @param noCache send {@code Cache-Control: no-cache}: caches must ask the origin (ESTALE and bad-data retries)
 * @param maxStaleZero send {@code max-stale=0}: no stale copies (background refreshes)
 * @param ifNoneMatch an ETag to revalidate with, or null
 */
public record RequestDirectives(boolean noCache, boolean maxStaleZero, String ifNoneMatch) {
  public static final RequestDirectives PLAIN = new RequestDirectives(false, false, null);
  public static final RequestDirectives NO_CACHE = new RequestDirectives(true, false, null);

  public RequestDirectives withIfNoneMatch(String etag) {
    return new RequestDirectives(noCache, maxStaleZero, noCache ? null : etag);
  }

  public RequestDirectives withMaxStaleZero() {
    return new RequestDirectives(noCache, true, ifNoneMatch);
  }
}
