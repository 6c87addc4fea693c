package org.keepfs.client.collection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.keepfs.client.cache.CacheLifetimes;
import org.keepfs.client.http.HttpStatusException;
import org.keepfs.client.remote.Answer;
import org.keepfs.client.remote.CachedReplies;
import org.keepfs.fs123.PathCodec;
import org.keepfs.manifest.Manifest;
import org.keepfs.manifest.ManifestFormatException;
import org.keepfs.manifest.PortableDataHash;
import org.keepfs.posix.Errno;
import org.keepfs.posix.ErrnoException;

/**
 * Where collection manifests come from: {@code GET /by_id/<pdh>/manifest} (immutable, cached for as
 * long as the gateway allows) and {@code GET /collections/<name>} (the head; the API marks it no-cache,
 * so the client keeps it for {@code headMaxAge} before revalidating with its ETag). Both go through the
 * reply cache, so they survive restarts and serve offline; parsed manifests are kept in memory by PDH.
 */
public final class CollectionSource {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final CachedReplies.StoreRule OK_ONLY = r -> r.status() == 200;

  private final CachedReplies replies;
  private final Duration headMaxAge;
  private final Map<String, Manifest> parsed = new ConcurrentHashMap<>();
  /** Loaded collections by request path, used without asking the reply cache until their freshness ends. */
  private final Map<String, Remembered> fresh = new ConcurrentHashMap<>();

  private record Remembered(Loaded loaded, Instant until) {}

  /** A collection as loaded: its manifest, PDH, when it last changed, and how long this view is fresh. */
  public record Loaded(String pdh, Manifest manifest, Instant modifiedAt, Duration kernelTimeout) {}

  public CollectionSource(CachedReplies replies, Duration headMaxAge) {
    this.replies = replies;
    this.headMaxAge = headMaxAge;
  }

  /** The collection with portable data hash {@code pdh}; ENOENT when the gateway has no such manifest. */
  public Loaded byId(String pdh) throws IOException {
    PortableDataHash wanted;
    try {
      wanted = PortableDataHash.parse(pdh);
    } catch (IllegalArgumentException e) {
      throw new ErrnoException(Errno.ENOENT, "'" + pdh + "' is not a portable data hash (md5+size)");
    }
    String path = "/by_id/" + wanted + "/manifest";
    Loaded known = remembered(path);
    if (known != null) {
      return known;
    }
    Answer a = fetch(path, l -> l, "collection " + pdh);
    Manifest m = parsed.get(wanted.toString());
    if (m == null) {
      m = parse(a.reply().body(), "collection " + pdh);
      PortableDataHash actual = PortableDataHash.ofNormalized(m);
      if (!actual.equals(wanted)) {
        throw new ErrnoException(Errno.EIO, "the gateway's manifest for " + wanted + " has portable data hash " + actual);
      }
      parsed.put(wanted.toString(), m);
    }
    return remember(path, new Loaded(wanted.toString(), m, Instant.EPOCH, a.kernelTimeout()));
  }

  private Loaded remembered(String path) {
    Remembered r = fresh.get(path);
    if (r == null) {
      return null;
    }
    Duration left = Duration.between(Instant.now(), r.until());
    if (left.isNegative() || left.isZero()) {
      fresh.remove(path);
      return null;
    }
    Loaded l = r.loaded();
    return new Loaded(l.pdh(), l.manifest(), l.modifiedAt(), left);
  }

  private Loaded remember(String path, Loaded l) {
    if (!l.kernelTimeout().isZero()) {
      fresh.put(path, new Remembered(l, Instant.now().plus(l.kernelTimeout())));
    }
    return l;
  }

  /** The current head of the collection called {@code name}; ENOENT when there is none. */
  public Loaded byName(String name) throws IOException {
    String path = "/collections/" + PathCodec.encodeComponent(name);
    Loaded known = remembered(path);
    if (known != null) {
      return known;
    }
    Answer a = fetch(path, this::atLeastHeadMaxAge, "collection '" + name + "'");
    JsonNode json;
    try {
      json = JSON.readTree(a.reply().body());
    } catch (IOException e) {
      throw new ErrnoException(Errno.EIO, "collection '" + name + "': the API reply is not JSON: " + e.getMessage());
    }
    String pdh = json.path("portable_data_hash").asText("");
    String text = json.path("manifest_text").asText(null);
    if (pdh.isEmpty() || text == null) {
      throw new ErrnoException(Errno.EIO, "collection '" + name + "': the API reply lacks portable_data_hash or manifest_text");
    }
    Manifest m = parsed.get(pdh);
    if (m == null) {
      m = parse(text.getBytes(java.nio.charset.StandardCharsets.UTF_8), "collection '" + name + "'");
      parsed.put(pdh, m);
    }
    Instant modified = Instant.EPOCH;
    try {
      modified = Instant.parse(json.path("modified_at").asText(""));
    } catch (DateTimeParseException e) {
      // The time is decoration; a head without one still mounts.
    }
    return remember(path, new Loaded(pdh, m, modified, a.kernelTimeout()));
  }

  private CacheLifetimes atLeastHeadMaxAge(CacheLifetimes l) {
    return l.maxAge().compareTo(headMaxAge) >= 0 ? l : new CacheLifetimes(headMaxAge, l.staleWhileRevalidate(), l.staleIfError());
  }

  private Answer fetch(String path, java.util.function.UnaryOperator<CacheLifetimes> lifetimes, String what) throws IOException {
    try {
      return replies.get(path, OK_ONLY, lifetimes);
    } catch (HttpStatusException e) {
      int errno = switch (e.status()) {
        case 400, 404 -> Errno.ENOENT;
        case 401, 403 -> Errno.EACCES;
        default -> Errno.EIO;
      };
      throw new ErrnoException(errno, what + ": " + e.getMessage());
    }
  }

  private static Manifest parse(byte[] text, String what) throws ErrnoException {
    try {
      return Manifest.parse(text);
    } catch (ManifestFormatException e) {
      throw new ErrnoException(Errno.EIO, what + ": the manifest is malformed: " + e.getMessage());
    }
  }
}
