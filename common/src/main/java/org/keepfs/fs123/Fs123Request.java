package org.keepfs.fs123;

/**
 * One fs123 request URL: {@code <prefix>/fs123/7/2/<F><path>[?<query>]}. {@code prefix} is whatever an
 * operator put in front (possibly ""), {@code path} is decoded and checked ("" is the tree root,
 * otherwise '/'-separated components), and the query is typed by kind.
 */
public record Fs123Request(String prefix, RequestKind kind, String path, Fs123Query query) {

  public Fs123Request {
    PathCodec.checkPath(path, path);
    if (prefix.contains(Fs123Protocol.MARKER)) {
      throw new Fs123FormatException("prefix", prefix, "must not contain a component named fs123");
    }
  }

  /**
   * Parses the raw (still percent-encoded) path and query of a request URL.
   *
   * @param rawQuery the text after '?', or null when there is none
   * @throws Fs123FormatException naming what is wrong: no /fs123/ marker, another protocol version, an
   *     unknown kind, a bad path or query
   */
  public static Fs123Request parse(String rawPath, String rawQuery) {
    int marker = rawPath.indexOf(Fs123Protocol.MARKER);
    if (marker < 0) {
      throw new Fs123FormatException("fs123 URL", rawPath, "has no /fs123/ component");
    }
    String prefix = rawPath.substring(0, marker);
    String rest = rawPath.substring(marker + Fs123Protocol.MARKER.length());
    int s1 = rest.indexOf('/');
    int s2 = s1 < 0 ? -1 : rest.indexOf('/', s1 + 1);
    if (s1 < 0 || s2 < 0) {
      throw new Fs123FormatException("fs123 URL", rawPath, "needs /fs123/<major>/<minor>/<kind>");
    }
    String major = rest.substring(0, s1);
    String minor = rest.substring(s1 + 1, s2);
    if (!major.equals(Integer.toString(Fs123Protocol.MAJOR)) || !minor.equals(Integer.toString(Fs123Protocol.MINOR))) {
      throw new Fs123FormatException("fs123 URL", rawPath,
          "protocol /fs123/" + major + "/" + minor + " is not supported; this server speaks " + Fs123Protocol.VERSION_PATH);
    }
    String tail = rest.substring(s2 + 1);
    if (tail.isEmpty()) {
      throw new Fs123FormatException("fs123 URL", rawPath, "has no request kind after " + Fs123Protocol.VERSION_PATH + "/");
    }
    RequestKind kind = RequestKind.ofLetter(tail.charAt(0));
    if (kind == null || (tail.length() > 1 && tail.charAt(1) != '/')) {
      int end = tail.indexOf('/');
      throw new Fs123FormatException("fs123 URL", rawPath,
          "unknown request kind '" + (end < 0 ? tail : tail.substring(0, end)) + "' (expected one of a d f l s x n)");
    }
    String rawTreePath = tail.substring(1);
    String path = PathCodec.checkPath(rawTreePath, PathCodec.decode("path", rawTreePath, false));
    return new Fs123Request(prefix, kind, path, Fs123Query.parse(kind, rawQuery));
  }

  /** The URL path and query this request is sent as, starting with the prefix. */
  public String toUrl() {
    String q = query.format();
    String url = prefix + Fs123Protocol.VERSION_PATH + "/" + kind.letter() + PathCodec.encode(path);
    return q.isEmpty() ? url : url + "?" + q;
  }
}
