package org.keepfs.client.cache;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * A durable cache of HTTP replies (fs123 replies, manifests), keyed by URL, that survives restarts
 * and {@code kill -9}.
 *
 * <p><b>Layout.</b> {@code <root>/replies/<2 hex>/<SHA-256 of the URL, hex>}, one file per URL in the
 * format of {@link ReplyFileFormat} (checksummed; the URL inside guards against name collisions),
 * and {@code <root>/tmp/} for files being written. A {@link #put} writes a new file and renames it
 * over the old one, so a reader sees the old reply or the new one, never a mix; a torn or corrupt file
 * is removed and reported as a miss.
 *
 * <p>Which stored replies may be served is not decided here but by {@link FreshnessPolicy}. The size
 * bound evicts least-recently-used replies; sharing between processes works as described in the
 * package documentation.
 */
public final class ReplyCache {
  private static final int MAX_FILE_BYTES = 256 << 20;

  private final CacheDirectory dir;
  private final DiskIndex index;
  private final CacheCounters counters;

  private ReplyCache(CacheDirectory dir) {
    this.dir = dir;
    this.index = dir.index();
    this.counters = dir.counters();
  }

  /** Opens (creating if needed) the cache at {@code options.root()} and indexes what is on disk. */
  public static ReplyCache open(CacheOptions options) throws IOException {
    // A reply's content is checked when it is read (checksummed format), so a scan only needs its name.
    CacheDirectory.Scan byName = (name, size) ->
        name.length() == 64 ? CacheDirectory.Found.INDEX : CacheDirectory.Found.IGNORE;
    return new ReplyCache(CacheDirectory.open("reply cache", options, "replies", 2, byName, name -> "a reply"));
  }

  /** Stores (or replaces) the reply for its URL. Returns false when it is larger than the whole cache. */
  public boolean put(StoredReply reply) throws IOException {
    var encoded = ReplyFileFormat.encode(reply);
    int size = encoded.remaining();
    if (size > dir.options().capacityBytes() || size > MAX_FILE_BYTES) {
      counters.rejected.increment();
      return false;
    }
    dir.store(fileName(reply.url()), size, size, encoded);
    return true;
  }

  /** The stored reply for {@code url}, or empty (never a torn or corrupt one). */
  public Optional<StoredReply> get(String url) throws IOException {
    String name = fileName(url);
    Path path = pathOf(name);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      index.remove(name);
      counters.misses.increment();
      return Optional.empty();
    }
    StoredReply reply;
    try {
      reply = ReplyFileFormat.decode(bytes);
    } catch (ReplyFileFormat.CorruptReplyException e) {
      dir.dropCorrupt(name, "the reply for " + url + ": " + e.getMessage());
      counters.misses.increment();
      return Optional.empty();
    }
    if (!reply.url().equals(url)) {
      counters.misses.increment();
      return Optional.empty();
    }
    long now = dir.options().clock().millis();
    if (index.use(name, now) == null) {
      index.put(new DiskIndex.Item(name, bytes.length, now, now, true));
    }
    counters.hits.increment();
    counters.bytesServed.add(reply.bodyLength());
    return Optional.of(reply);
  }

  /** Forgets the reply for {@code url}. */
  public void remove(String url) {
    dir.forget(fileName(url));
  }

  public CacheStats stats() {
    return dir.stats();
  }

  /** Rebuilds the index from the directory (see {@link BlockCache#rescan}). */
  public void rescan() throws IOException {
    dir.rescan();
  }

  private Path pathOf(String name) {
    return dir.pathOf(name);
  }

  static String fileName(String url) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(url.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime provides SHA-256", e);
    }
  }
}
