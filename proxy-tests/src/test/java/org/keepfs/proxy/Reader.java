package org.keepfs.proxy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One reader with its own connections and no cache, sending what the fs123 client sends on every
 * request ({@code User-Agent}, {@code Cache-Control: stale-if-error=...}) plus any extra headers.
 */
final class Reader implements AutoCloseable {
  static final String FS123 = "/fs123/7/2";

  /** A reply: status, headers by lower-case name (repeats joined with ", "), body. */
  record Reply(int status, Map<String, String> headers, byte[] body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    int errno() {
      return Integer.parseInt(header("fs123-errno"));
    }

    long cookie() {
      String c = header("fs123-estalecookie");
      return c == null ? 0 : Long.parseUnsignedLong(c);
    }

    /** Age in seconds, or -1 when there is no Age header. */
    long age() {
      String a = header("age");
      return a == null ? -1 : Long.parseLong(a.trim());
    }
  }

  private final URI base;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NEVER).build();

  Reader(URI base) {
    this.base = base;
  }

  /** GET {@code pathAndQuery} (sent exactly as given) with extra {@code name, value} header pairs. */
  Reply get(String pathAndQuery, String... headerPairs) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
        .timeout(Duration.ofSeconds(60))
        .header("User-Agent", "fs123p7/keepfs-proxy-test");
    boolean cacheControl = false;
    for (int i = 0; i < headerPairs.length; i += 2) {
      b.header(headerPairs[i], headerPairs[i + 1]);
      cacheControl |= headerPairs[i].equalsIgnoreCase("Cache-Control");
    }
    if (!cacheControl) {
      b.header("Cache-Control", "stale-if-error=864000");
    }
    HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    return new Reply(r.statusCode(), flatten(r.headers()), r.body());
  }

  private static Map<String, String> flatten(HttpHeaders headers) {
    Map<String, String> out = new TreeMap<>();
    for (Map.Entry<String, List<String>> e : headers.map().entrySet()) {
      out.put(e.getKey().toLowerCase(Locale.ROOT), String.join(", ", e.getValue()));
    }
    return out;
  }

  @Override
  public void close() {
    http.close();
  }
}
