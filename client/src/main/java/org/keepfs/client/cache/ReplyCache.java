package org.keepfs.client.cache;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
  private static final Logger LOG = LoggerFactory.getLogger(ReplyCache.class);
  private static final int MAX_FILE_BYTES = 256 << 20;

  /**
   * @param root the cache directory (created if missing)
   * @param capacityBytes the size bound
   * @param fsync force each reply to the device before the rename (not needed for kill -9, which
   *     loses nothing the kernel has; it guards against power loss)
   * @param thrashWindow an eviction this soon after the insert counts as thrash
   * @param clock time source for recency and thrash detection
   */
  public record Options(Path root, long capacityBytes, boolean fsync, Duration thrashWindow, Clock clock) {
    public Options {
      if (capacityBytes <= 0) {
        throw new IllegalArgumentException("reply cache capacity must be positive, got " + capacityBytes);
      }
    }

    public static Options of(Path root, long capacityBytes) {
      return new Options(root, capacityBytes, false, Duration.ofSeconds(30), Clock.systemUTC());
    }

    public Options withFsync(boolean on) {
      return new Options(root, capacityBytes, on, thrashWindow, clock);
    }

    public Options withClock(Clock c) {
      return new Options(root, capacityBytes, fsync, thrashWindow, c);
    }
  }

  private final Options options;
  private final Path repliesDir;
  private final Path tmpDir;
  private final DiskIndex index = new DiskIndex();
  private final CacheCounters counters = new CacheCounters();
  private final ThrashWarning thrash;
  private final Object scanLock = new Object();
  private long bytesInsertedAtLastScan;

  private ReplyCache(Options options) {
    this.options = options;
    this.repliesDir = options.root().resolve("replies");
    this.tmpDir = options.root().resolve("tmp");
    this.thrash = new ThrashWarning("reply cache " + options.root(), options.thrashWindow(), options.clock(), counters);
  }

  /** Opens (creating if needed) the cache at {@code options.root()} and indexes what is on disk. */
  public static ReplyCache open(Options options) throws IOException {
    ReplyCache cache = new ReplyCache(options);
    Files.createDirectories(cache.repliesDir);
    Files.createDirectories(cache.tmpDir);
    CacheFiles.removeStaleTemps(cache.tmpDir);
    cache.rescan();
    cache.evict(null);
    return cache;
  }

  /** Stores (or replaces) the reply for its URL. Returns false when it is larger than the whole cache. */
  public boolean put(StoredReply reply) throws IOException {
    var encoded = ReplyFileFormat.encode(reply);
    int size = encoded.remaining();
    if (size > options.capacityBytes() || size > MAX_FILE_BYTES) {
      counters.rejected.increment();
      return false;
    }
    String name = fileName(reply.url());
    CacheFiles.write(tmpDir, pathOf(name), options.fsync(), encoded);
    long now = options.clock().millis();
    index.put(new DiskIndex.Item(name, size, now, now, true));
    counters.inserts.increment();
    counters.bytesInserted.add(size);
    evict(name);
    if (counters.bytesInserted.sum() - bytesInsertedAtLastScan > options.capacityBytes() / 8) {
      rescan();
      evict(null);
    }
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
      LOG.warn("reply cache {}: removing corrupt entry for {}: {}", options.root(), url, e.getMessage());
      index.remove(name);
      CacheFiles.delete(path);
      counters.corruptDropped.increment();
      counters.misses.increment();
      return Optional.empty();
    }
    if (!reply.url().equals(url)) {
      counters.misses.increment();
      return Optional.empty();
    }
    long now = options.clock().millis();
    if (index.use(name, now) == null) {
      index.put(new DiskIndex.Item(name, bytes.length, now, now, true));
    }
    counters.hits.increment();
    counters.bytesServed.add(reply.bodyLength());
    return Optional.of(reply);
  }

  /** Forgets the reply for {@code url}. */
  public void remove(String url) {
    String name = fileName(url);
    index.remove(name);
    CacheFiles.delete(pathOf(name));
  }

  public CacheStats stats() {
    return counters.snapshot(index.size(), index.bytes(), options.capacityBytes());
  }

  /** Rebuilds the index from the directory (see {@link BlockCache#rescan}). */
  public void rescan() throws IOException {
    synchronized (scanLock) {
      List<DiskIndex.Item> found = new ArrayList<>();
      for (Path f : CacheFiles.listEntries(repliesDir)) {
        String name = f.getFileName().toString();
        if (name.length() != 64) {
          continue;
        }
        try {
          BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
          long mtime = a.lastModifiedTime().toMillis();
          found.add(new DiskIndex.Item(name, a.size(), mtime, mtime, false));
        } catch (NoSuchFileException e) {
          // Evicted by another process while we looked.
        }
      }
      index.replaceWithScan(found);
      bytesInsertedAtLastScan = counters.bytesInserted.sum();
    }
  }

  private void evict(String keep) {
    for (DiskIndex.Item item : index.evictOver(options.capacityBytes(), keep)) {
      CacheFiles.delete(pathOf(item.name));
      counters.evictions.increment();
      counters.bytesEvicted.add(item.bytes);
      thrash.onEviction("a reply", item.insertedMillis, options.capacityBytes());
    }
  }

  private Path pathOf(String name) {
    return repliesDir.resolve(name.substring(0, 2)).resolve(name);
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
