package org.keepfs.client.cache;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A content-addressed disk cache of blocks and block pieces, shared by the mounts of one host.
 *
 * <p><b>Layout.</b> {@code <root>/blocks/<first 3 hex digits>/<hash>+<size>@<offset>:<length>}, one
 * file per {@link PieceKey} in the format of {@link PieceFileFormat} (the bytes, then a trailer with
 * their MD5), and {@code <root>/tmp/} for files being written.
 *
 * <p><b>Never serving bad bytes.</b> An insert is refused unless the bytes have the expected MD5: the
 * block hash for a whole block, the digest the caller got with the piece otherwise (a piece cannot be
 * checked against the block hash, so piece URLs must carry their MD5). On use, a file whose size is
 * not length + trailer is dropped at once, and the first open of an entry in each process reads it
 * through and compares the MD5 with the trailer (and, for a whole block, with the hash); a mismatch
 * removes the file and answers a miss. This catches files torn by a power loss or damaged on disk
 * since they were written. A file damaged after this process verified it is not caught again until
 * the next process.
 *
 * <p><b>Crash safety and sharing.</b> See the package documentation: temp file, optional fsync,
 * atomic rename; no locks between processes. With {@link Options#fsync} off, a power loss can lose
 * recent entries or leave a torn file, which the first-open check then removes.
 *
 * <p><b>Size.</b> Least-recently-used entries are evicted once the total passes the capacity; a hit
 * also sets the file's modification time (at most once a minute) so other processes' scans see it.
 */
public final class BlockCache {
  private static final Logger LOG = LoggerFactory.getLogger(BlockCache.class);
  static final int TRAILER_BYTES = PieceFileFormat.TRAILER_BYTES;
  private static final long TOUCH_INTERVAL_MILLIS = 60_000;

  /**
   * @param root the cache directory (created if missing)
   * @param capacityBytes the size bound, trailers included
   * @param fsync force each entry to the device before it is renamed into place
   * @param thrashWindow an eviction this soon after the insert counts as thrash
   * @param clock time source for recency and thrash detection
   */
  public record Options(Path root, long capacityBytes, boolean fsync, Duration thrashWindow, Clock clock) {
    public Options {
      if (capacityBytes <= 0) {
        throw new IllegalArgumentException("block cache capacity must be positive, got " + capacityBytes);
      }
    }

    public static Options of(Path root, long capacityBytes) {
      return new Options(root, capacityBytes, true, Duration.ofSeconds(30), Clock.systemUTC());
    }

    public Options withFsync(boolean on) {
      return new Options(root, capacityBytes, on, thrashWindow, clock);
    }

    public Options withClock(Clock c) {
      return new Options(root, capacityBytes, fsync, thrashWindow, c);
    }
  }

  private final Options options;
  private final Path blocksDir;
  private final Path tmpDir;
  private final DiskIndex index = new DiskIndex();
  private final CacheCounters counters = new CacheCounters();
  private final ThrashWarning thrash;
  private final Object scanLock = new Object();
  private long bytesInsertedAtLastScan;

  private BlockCache(Options options) {
    this.options = options;
    this.blocksDir = options.root().resolve("blocks");
    this.tmpDir = options.root().resolve("tmp");
    this.thrash = new ThrashWarning("block cache " + options.root(), options.thrashWindow(), options.clock(), counters);
  }

  /** Opens (creating if needed) the cache at {@code options.root()} and indexes what is on disk. */
  public static BlockCache open(Options options) throws IOException {
    BlockCache cache = new BlockCache(options);
    Files.createDirectories(cache.blocksDir);
    Files.createDirectories(cache.tmpDir);
    int stale = CacheFiles.removeStaleTemps(cache.tmpDir);
    if (stale > 0) {
      LOG.info("block cache {}: removed {} temporary files of processes that stopped mid-write", options.root(), stale);
    }
    cache.rescan();
    cache.evict(null);
    return cache;
  }

  /**
   * Stores a piece after checking its MD5 ({@code expectedMd5}: hex; for a whole block it must be the
   * block's hash). Returns false when the piece cannot be cached because it is larger than the cache.
   *
   * @throws PieceRejectedException when the length or MD5 is wrong; nothing is stored
   */
  public boolean insert(PieceKey key, ByteBuffer data, String expectedMd5) throws IOException {
    if (data.remaining() != key.length()) {
      counters.rejected.increment();
      throw new PieceRejectedException(key + ": got " + data.remaining() + " bytes, the key says " + key.length());
    }
    if (key.isWholeBlock() && !key.hash().equals(expectedMd5)) {
      counters.rejected.increment();
      throw new PieceRejectedException(key + ": a whole block must be checked against its own hash, not " + expectedMd5);
    }
    byte[] md5 = PieceFileFormat.md5(data.duplicate());
    String actual = HexFormat.of().formatHex(md5);
    if (!actual.equals(expectedMd5)) {
      counters.rejected.increment();
      throw new PieceRejectedException(key + ": MD5 of the data is " + actual + ", expected " + expectedMd5 + "; not cached");
    }
    long fileBytes = (long) key.length() + TRAILER_BYTES;
    if (fileBytes > options.capacityBytes()) {
      counters.rejected.increment();
      return false;
    }
    int bytes = data.remaining();
    CacheFiles.write(tmpDir, pathOf(key), options.fsync(), data.duplicate(), PieceFileFormat.trailer(md5, key.length()));
    long now = options.clock().millis();
    // We just checked the bytes, so this process need not read them back on first use.
    index.put(new DiskIndex.Item(key.fileName(), fileBytes, now, now, true));
    counters.inserts.increment();
    counters.bytesInserted.add(bytes);
    evict(key.fileName());
    rescanIfOthersMayHaveWritten();
    return true;
  }

  /** True when the piece is cached (without verifying or counting a hit). */
  public boolean contains(PieceKey key) {
    return Files.exists(pathOf(key));
  }

  /**
   * Opens a cached piece for positional reads, or empty on a miss. A corrupt or torn entry is
   * removed and reported as a miss.
   */
  public Optional<CachedPiece> open(PieceKey key) throws IOException {
    String name = key.fileName();
    Path path = pathOf(key);
    long now = options.clock().millis();
    DiskIndex.Item item = index.use(name, now);
    FileChannel channel;
    try {
      channel = FileChannel.open(path, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      if (item != null) {
        index.remove(name);
      }
      counters.misses.increment();
      return Optional.empty();
    }
    try {
      long size = channel.size();
      if (size != (long) key.length() + TRAILER_BYTES) {
        return dropCorrupt(key, channel, "size is " + size + ", expected " + ((long) key.length() + TRAILER_BYTES));
      }
      if (item == null) {
        // Written by another process (or before a rescan): adopt it, unverified.
        item = new DiskIndex.Item(name, size, now, now, false);
        index.put(item);
      }
      if (!item.verified) {
        String problem = PieceFileFormat.verify(key, channel);
        if (problem != null) {
          return dropCorrupt(key, channel, problem);
        }
        item.verified = true;
      }
      CacheFiles.touch(path, now, TOUCH_INTERVAL_MILLIS);
      counters.hits.increment();
      return Optional.of(new CachedPiece(key, channel, counters));
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /**
   * Reads cached bytes of {@code key} from {@code position} into {@code dst}; returns the number of
   * bytes read, or -1 on a miss.
   */
  public int read(PieceKey key, long position, ByteBuffer dst) throws IOException {
    Optional<CachedPiece> piece = open(key);
    if (piece.isEmpty()) {
      return -1;
    }
    try (CachedPiece p = piece.get()) {
      return p.read(dst, position);
    }
  }

  /** Removes an entry (for example one a reader found wrong by other means). */
  public void remove(PieceKey key) {
    index.remove(key.fileName());
    CacheFiles.delete(pathOf(key));
  }

  public CacheStats stats() {
    return counters.snapshot(index.size(), index.bytes(), options.capacityBytes());
  }

  /**
   * Rebuilds the index from the directory: entries other processes added are counted, entries they
   * evicted are forgotten. Runs at open and after this process has written a fraction of the capacity.
   */
  public void rescan() throws IOException {
    synchronized (scanLock) {
      List<DiskIndex.Item> found = new ArrayList<>();
      for (Path f : CacheFiles.listEntries(blocksDir)) {
        String name = f.getFileName().toString();
        PieceKey key = PieceKey.parseFileName(name);
        if (key == null) {
          continue;
        }
        BasicFileAttributes attrs;
        try {
          attrs = Files.readAttributes(f, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
          continue;
        }
        if (attrs.size() != (long) key.length() + TRAILER_BYTES) {
          LOG.warn("block cache {}: removing {}: size {} is not {} (torn write?)", options.root(), name, attrs.size(),
              (long) key.length() + TRAILER_BYTES);
          counters.corruptDropped.increment();
          CacheFiles.delete(f);
          continue;
        }
        long mtime = attrs.lastModifiedTime().toMillis();
        found.add(new DiskIndex.Item(name, attrs.size(), mtime, mtime, false));
      }
      index.replaceWithScan(found);
      bytesInsertedAtLastScan = counters.bytesInserted.sum();
    }
  }

  private void rescanIfOthersMayHaveWritten() throws IOException {
    if (counters.bytesInserted.sum() - bytesInsertedAtLastScan > options.capacityBytes() / 8) {
      rescan();
      evict(null);
    }
  }

  private void evict(String keep) {
    for (DiskIndex.Item item : index.evictOver(options.capacityBytes(), keep)) {
      CacheFiles.delete(blocksDir.resolve(shard(item.name)).resolve(item.name));
      counters.evictions.increment();
      counters.bytesEvicted.add(item.bytes);
      thrash.onEviction(item.name, item.insertedMillis, options.capacityBytes());
    }
  }

  private Optional<CachedPiece> dropCorrupt(PieceKey key, FileChannel channel, String problem) throws IOException {
    channel.close();
    LOG.warn("block cache {}: removing corrupt entry {}: {}; it will be fetched again", options.root(), key, problem);
    index.remove(key.fileName());
    CacheFiles.delete(pathOf(key));
    counters.corruptDropped.increment();
    counters.misses.increment();
    return Optional.empty();
  }

  Path pathOf(PieceKey key) {
    return blocksDir.resolve(shard(key.fileName())).resolve(key.fileName());
  }

  private static String shard(String fileName) {
    return fileName.substring(0, 3);
  }
}
