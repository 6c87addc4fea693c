package org.keepfs.client.cache;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mechanics both disk caches share: {@code <root>/<entries>/<shard>/<name>} files written through
 * {@code <root>/tmp/}, this process's LRU index of them, the size bound, rescans that pick up other
 * processes' writes, counters and thrash warnings. What an entry's bytes mean is the caller's business.
 */
final class CacheDirectory {
  private static final Logger LOG = LoggerFactory.getLogger(CacheDirectory.class);

  /** What a rescan does with a file it finds. */
  enum Found { INDEX, IGNORE, CORRUPT }

  /** Judges a file by its name and size during a rescan. */
  @FunctionalInterface
  interface Scan {
    Found judge(String name, long size);
  }

  private final String kind;
  private final CacheOptions options;
  private final Path entriesDir;
  private final Path tmpDir;
  private final int shardChars;
  private final Scan scan;
  private final UnaryOperator<String> describe;
  private final DiskIndex index = new DiskIndex();
  private final CacheCounters counters = new CacheCounters();
  private final ThrashWarning thrash;
  private final Object scanLock = new Object();
  private long bytesInsertedAtLastScan;

  private CacheDirectory(String kind, CacheOptions options, String entries, int shardChars, Scan scan,
      UnaryOperator<String> describe) {
    this.kind = kind;
    this.options = options;
    this.entriesDir = options.root().resolve(entries);
    this.tmpDir = options.root().resolve("tmp");
    this.shardChars = shardChars;
    this.scan = scan;
    this.describe = describe;
    this.thrash = new ThrashWarning(kind + " " + options.root(), options.thrashWindow(), options.clock(), counters);
  }

  /**
   * Creates the directories if needed, removes temp files of writers that died, indexes what is on
   * disk and evicts down to the capacity.
   *
   * @param kind how log lines name this cache ("block cache")
   * @param entries the subdirectory holding the entries
   * @param shardChars how many leading characters of a name pick its shard directory
   * @param describe how a thrash warning names an evicted entry
   */
  static CacheDirectory open(String kind, CacheOptions options, String entries, int shardChars, Scan scan,
      UnaryOperator<String> describe) throws IOException {
    CacheDirectory dir = new CacheDirectory(kind, options, entries, shardChars, scan, describe);
    Files.createDirectories(dir.entriesDir);
    Files.createDirectories(dir.tmpDir);
    int stale = CacheFiles.removeStaleTemps(dir.tmpDir);
    if (stale > 0) {
      LOG.info("{} {}: removed {} temporary files of processes that stopped mid-write", kind, options.root(), stale);
    }
    dir.rescan();
    dir.evict(null);
    return dir;
  }

  CacheOptions options() {
    return options;
  }

  DiskIndex index() {
    return index;
  }

  CacheCounters counters() {
    return counters;
  }

  Path pathOf(String name) {
    return entriesDir.resolve(name.substring(0, shardChars)).resolve(name);
  }

  /**
   * Writes an entry atomically and indexes it as verified (the caller just checked its bytes).
   *
   * @param fileBytes the entry's size on disk, which the capacity counts
   * @param payloadBytes the bytes the counters report as inserted
   */
  void store(String name, long fileBytes, long payloadBytes, ByteBuffer... parts) throws IOException {
    long now = options.clock().millis();
    // Indexed (verified) before the rename, so a reader that opens the file the moment it appears does
    // not take it for another process's entry and read it all through again to verify it.
    DiskIndex.Item item = new DiskIndex.Item(name, fileBytes, now, now, true);
    item.writing = true;
    index.put(item);
    try {
      CacheFiles.write(tmpDir, pathOf(name), options.fsync(), parts);
    } catch (IOException | RuntimeException e) {
      index.remove(name);
      throw e;
    } finally {
      item.writing = false;
    }
    counters.inserts.increment();
    counters.bytesInserted.add(payloadBytes);
    evict(name);
    // Other processes write into the same directory; their entries only count after a rescan.
    if (counters.bytesInserted.sum() - bytesInsertedAtLastScan > options.capacityBytes() / 8) {
      rescan();
      evict(null);
    }
  }

  /** Forgets an entry and deletes its file. */
  void forget(String name) {
    index.remove(name);
    CacheFiles.delete(pathOf(name));
  }

  /** Drops an entry found torn or damaged, so the next reader fetches it again. */
  void dropCorrupt(String name, String problem) {
    LOG.warn("{} {}: removing corrupt entry {}: {}; it will be fetched again", kind, options.root(), name, problem);
    forget(name);
    counters.corruptDropped.increment();
  }

  CacheStats stats() {
    return counters.snapshot(index.size(), index.bytes(), options.capacityBytes());
  }

  /**
   * Rebuilds the index from the directory: entries other processes added are counted, entries they
   * evicted are forgotten.
   */
  void rescan() throws IOException {
    synchronized (scanLock) {
      List<DiskIndex.Item> found = new ArrayList<>();
      for (Path f : CacheFiles.listEntries(entriesDir)) {
        String name = f.getFileName().toString();
        BasicFileAttributes attrs;
        try {
          attrs = Files.readAttributes(f, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
          continue; // evicted by another process while we looked
        }
        switch (scan.judge(name, attrs.size())) {
          case IGNORE -> { }
          case CORRUPT -> {
            LOG.warn("{} {}: removing {}: its size {} cannot be right (torn write?)", kind, options.root(), name,
                attrs.size());
            counters.corruptDropped.increment();
            CacheFiles.delete(f);
          }
          case INDEX -> {
            long mtime = attrs.lastModifiedTime().toMillis();
            found.add(new DiskIndex.Item(name, attrs.size(), mtime, mtime, false));
          }
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
      thrash.onEviction(describe.apply(item.name), item.insertedMillis, options.capacityBytes());
    }
  }
}
