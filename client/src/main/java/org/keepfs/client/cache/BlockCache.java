package org.keepfs.client.cache;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.Optional;

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
 * atomic rename; no locks between processes. With {@link CacheOptions#fsync} off, a power loss can lose
 * recent entries or leave a torn file, which the first-open check then removes.
 *
 * <p><b>Size.</b> Least-recently-used entries are evicted once the total passes the capacity; a hit
 * also sets the file's modification time (at most once a minute) so other processes' scans see it.
 */
public final class BlockCache {
  static final int TRAILER_BYTES = PieceFileFormat.TRAILER_BYTES;
  private static final long TOUCH_INTERVAL_MILLIS = 60_000;

  private final CacheDirectory dir;
  private final DiskIndex index;
  private final CacheCounters counters;

  private BlockCache(CacheDirectory dir) {
    this.dir = dir;
    this.index = dir.index();
    this.counters = dir.counters();
  }

  /** Opens (creating if needed) the cache at {@code options.root()} and indexes what is on disk. */
  public static BlockCache open(CacheOptions options) throws IOException {
    return new BlockCache(CacheDirectory.open("block cache", options, "blocks", 3, BlockCache::judge, name -> name));
  }

  /** A scanned file is an entry only if its name is a piece key and its size fits that key. */
  private static CacheDirectory.Found judge(String name, long size) {
    PieceKey key = PieceKey.parseFileName(name);
    if (key == null) {
      return CacheDirectory.Found.IGNORE;
    }
    return size == (long) key.length() + TRAILER_BYTES ? CacheDirectory.Found.INDEX : CacheDirectory.Found.CORRUPT;
  }

  /**
   * Stores a piece after checking its MD5 ({@code expectedMd5}: hex; for a whole block it must be the
   * block's hash). Returns false when the piece cannot be cached because it is larger than the cache.
   *
   * @throws PieceRejectedException when the length or MD5 is wrong; nothing is stored
   */
  public boolean insert(PieceKey key, ByteBuffer data, String expectedMd5) throws IOException {
    return store(verify(key, data, expectedMd5));
  }

  /**
   * Checks a piece's length and MD5 ({@code expectedMd5}: hex; for a whole block it must be the block's
   * hash) without storing it, so its bytes can go to readers before they reach the disk.
   *
   * @throws PieceRejectedException when the length or MD5 is wrong
   */
  public VerifiedPiece verify(PieceKey key, ByteBuffer data, String expectedMd5) throws PieceRejectedException {
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
    return new VerifiedPiece(key, data, md5);
  }

  /** Stores a verified piece; false when it cannot be cached because it is larger than the cache. */
  public boolean store(VerifiedPiece piece) throws IOException {
    PieceKey key = piece.key();
    long fileBytes = (long) key.length() + TRAILER_BYTES;
    if (fileBytes > dir.options().capacityBytes()) {
      counters.rejected.increment();
      return false;
    }
    dir.store(key.fileName(), fileBytes, key.length(), piece.bytes(), PieceFileFormat.trailer(piece.md5(), key.length()));
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
    long now = dir.options().clock().millis();
    DiskIndex.Item item = index.use(name, now);
    int descriptor = -1;
    FileChannel channel = null;
    if (Descriptors.AVAILABLE) {
      descriptor = Descriptors.openReadOnly(path);
      if (descriptor >= 0) {
        // The same open file as the descriptor, even if the entry is evicted meanwhile.
        try {
          channel = FileChannel.open(Descriptors.procPath(descriptor), StandardOpenOption.READ);
        } catch (IOException | RuntimeException e) {
          Descriptors.close(descriptor);
          throw e;
        }
      }
    } else {
      try {
        channel = FileChannel.open(path, StandardOpenOption.READ);
      } catch (NoSuchFileException e) {
        channel = null;
      }
    }
    if (channel == null) {
      if (item != null && !item.writing) {
        index.remove(name);
      }
      counters.misses.increment();
      return Optional.empty();
    }
    try {
      long size = channel.size();
      if (size != (long) key.length() + TRAILER_BYTES) {
        return dropCorrupt(key, channel, descriptor, "size is " + size + ", expected " + ((long) key.length() + TRAILER_BYTES));
      }
      if (item == null) {
        // Written by another process (or before a rescan): adopt it, unverified.
        item = new DiskIndex.Item(name, size, now, now, false);
        index.put(item);
      }
      if (!item.verified) {
        String problem = PieceFileFormat.verify(key, channel);
        if (problem != null) {
          return dropCorrupt(key, channel, descriptor, problem);
        }
        item.verified = true;
      }
      CacheFiles.touch(path, now, TOUCH_INTERVAL_MILLIS);
      counters.hits.increment();
      return Optional.of(new CachedPiece(key, channel, descriptor, counters));
    } catch (IOException | RuntimeException e) {
      closeBoth(channel, descriptor);
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
    dir.forget(key.fileName());
  }

  public CacheStats stats() {
    return dir.stats();
  }

  /**
   * Rebuilds the index from the directory: entries other processes added are counted, entries they
   * evicted are forgotten. Runs at open and after this process has written a fraction of the capacity.
   */
  public void rescan() throws IOException {
    dir.rescan();
  }

  private static void closeBoth(FileChannel channel, int descriptor) throws IOException {
    try {
      channel.close();
    } finally {
      if (descriptor >= 0) {
        Descriptors.close(descriptor);
      }
    }
  }

  private Optional<CachedPiece> dropCorrupt(PieceKey key, FileChannel channel, int descriptor, String problem) throws IOException {
    closeBoth(channel, descriptor);
    dir.dropCorrupt(key.fileName(), problem);
    counters.misses.increment();
    return Optional.empty();
  }

  Path pathOf(PieceKey key) {
    return dir.pathOf(key.fileName());
  }
}
