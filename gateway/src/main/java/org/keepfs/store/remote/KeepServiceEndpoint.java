package org.keepfs.store.remote;

import java.net.URI;
import java.util.Optional;

/**
 * One remote Keep service.
 *
 * @param uuid its keep_service uuid (or any stable name): decides its rendezvous weight and the
 *     {@code +K} hints that name it
 * @param root the URL blocks are found under: {@code <root><locator>} ({@code http://host:25107/}
 *     for keepstore, {@code http://gateway/keep/} for a keepfs gateway)
 * @param token the token sent as {@code Authorization: Bearer}, if the service needs one
 */
public record KeepServiceEndpoint(String uuid, URI root, Optional<String> token) {
  public KeepServiceEndpoint {
    if (uuid == null || uuid.isBlank()) {
      throw new IllegalArgumentException("a Keep service needs a uuid or name");
    }
    String s = root.toString();
    if (!root.isAbsolute() || !(s.startsWith("http://") || s.startsWith("https://"))) {
      throw new IllegalArgumentException("Keep service URL '" + root + "' must be an absolute http(s) URL");
    }
    if (!s.endsWith("/")) {
      root = URI.create(s + "/");
    }
  }

  /**
   * Parses {@code uuid=URL} (or just {@code URL}, named by the URL itself), the form of the
   * {@code --keep-service} flag.
   */
  public static KeepServiceEndpoint parse(String spec, Optional<String> token) {
    int eq = spec.indexOf('=');
    if (eq > 0 && !spec.substring(0, eq).contains("/")) {
      return new KeepServiceEndpoint(spec.substring(0, eq), URI.create(spec.substring(eq + 1)), token);
    }
    return new KeepServiceEndpoint(spec, URI.create(spec), token);
  }

  /** True when the {@code +K} hint text (after {@code K}) names this service. */
  public boolean answersTo(String serviceHint) {
    return serviceHint.equals(uuid) || serviceHint.equals("@" + uuid);
  }
}
