package org.keepfs.client.writable;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * Where a writable mount spools when {@code --spool-dir} is not given (and where each collection of a
 * full read-write mount spools below its {@code --spool-dir}): one directory per gateway and
 * collection, so the next mount of the same collection from the same gateway finds (and recovers)
 * what a killed one left.
 *
 * <pre>
 * $XDG_STATE_HOME/keepfs/spool/KEY     when XDG_STATE_HOME is set
 * CACHE_DIR/spool/KEY                  otherwise (the mount's --cache-dir or its default)
 * KEY = the collection name with anything but [A-Za-z0-9._-] as '_', '-', 16 hex digits of
 *       SHA-256("GATEWAY_URL\nNAME")
 * </pre>
 */
public final class SpoolDirectory {
  private SpoolDirectory() {}

  public static Path defaultFor(Map<String, String> env, Path cacheDir, URI gateway, String collection) {
    return in(defaultBase(env, cacheDir), gateway, collection);
  }

  /** The directory that holds the spools of all collections by default. */
  public static Path defaultBase(Map<String, String> env, Path cacheDir) {
    String state = env.get("XDG_STATE_HOME");
    return state != null && !state.isBlank() ? Path.of(state, "keepfs", "spool") : cacheDir.resolve("spool");
  }

  /** The spool of {@code collection} under {@code base} (a full read-write mount's {@code --spool-dir}). */
  public static Path in(Path base, URI gateway, String collection) {
    return base.resolve(key(gateway, collection));
  }

  static String key(URI gateway, String collection) {
    String readable = collection.replaceAll("[^A-Za-z0-9._-]", "_");
    if (readable.length() > 64) {
      readable = readable.substring(0, 64);
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest((gateway.toString() + "\n" + collection).getBytes(StandardCharsets.UTF_8));
      return readable + "-" + HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
