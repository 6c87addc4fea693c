package org.keepfs.client.cache;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.keepfs.locator.Locator;

/**
 * Throughput of the block cache (run by {@code bench/cache/block-cache.sh}): inserting 1 MiB pieces
 * (MD5 check, temp file, rename, with and without fsync), the first read in a new instance (which
 * verifies the MD5) and later reads, into a direct buffer as the FUSE adapter reads. Prints MB/s per
 * run and the median.
 *
 * <p>Arguments: cache directory, total MiB, runs.
 */
public final class BlockCacheBench {
  private static final int PIECE = 1 << 20;

  private BlockCacheBench() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int totalMib = Integer.parseInt(args[1]);
    int runs = Integer.parseInt(args[2]);
    // One 64 MiB block's worth of distinct pieces, reused as the pieces of several "blocks".
    byte[] block = new byte[Locator.MAX_BLOCK_SIZE];
    new Random(1).nextBytes(block);
    Locator loc = Locator.of(BlockCacheTest.md5(block), block.length);
    int piecesPerBlock = block.length / PIECE;
    String[] pieceMd5 = new String[piecesPerBlock];
    for (int p = 0; p < piecesPerBlock; p++) {
      pieceMd5[p] = BlockCacheTest.md5(Arrays.copyOfRange(block, p * PIECE, (p + 1) * PIECE));
    }
    List<PieceKey> keys = new ArrayList<>();
    for (int i = 0; i < totalMib; i++) {
      // Distinct keys: vary the block hash per 64 pieces, keep the bytes (the digest is of the piece).
      String hash = String.format("%032x", i / piecesPerBlock + 1);
      keys.add(new PieceKey(hash, block.length, (long) (i % piecesPerBlock) * PIECE, PIECE));
    }
    for (boolean fsync : new boolean[] {false, true}) {
      double[] insert = new double[runs];
      double[] firstRead = new double[runs];
      double[] warmRead = new double[runs];
      for (int r = 0; r < runs; r++) {
        deleteTree(dir);
        BlockCache cache = BlockCache.open(CacheOptions.of(dir, 64L << 30).withFsync(fsync));
        long t0 = System.nanoTime();
        for (int i = 0; i < keys.size(); i++) {
          int p = i % piecesPerBlock;
          cache.insert(keys.get(i), ByteBuffer.wrap(block, p * PIECE, PIECE), pieceMd5[p]);
        }
        insert[r] = mbps(totalMib, System.nanoTime() - t0);
        BlockCache fresh = BlockCache.open(CacheOptions.of(dir, 64L << 30).withFsync(fsync));
        firstRead[r] = readAll(fresh, keys, totalMib);
        warmRead[r] = readAll(fresh, keys, totalMib);
      }
      String mode = fsync ? "fsync" : "no fsync";
      report("insert (" + mode + ")", insert);
      report("first read in a new instance, MD5 verify included (" + mode + ")", firstRead);
      report("later reads (" + mode + ")", warmRead);
    }
    deleteTree(dir);
  }

  private static double readAll(BlockCache cache, List<PieceKey> keys, int totalMib) throws Exception {
    ByteBuffer dst = ByteBuffer.allocateDirect(128 << 10);
    long t0 = System.nanoTime();
    for (PieceKey k : keys) {
      try (CachedPiece piece = cache.open(k).orElseThrow()) {
        for (long pos = 0; pos < k.length(); pos += dst.capacity()) {
          dst.clear();
          piece.read(dst, pos);
        }
      }
    }
    return mbps(totalMib, System.nanoTime() - t0);
  }

  private static double mbps(int mib, long nanos) {
    return (double) mib * PIECE / 1e6 / (nanos / 1e9);
  }

  private static void report(String what, double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    StringBuilder runs = new StringBuilder();
    for (double v : values) {
      runs.append(String.format("%.0f ", v));
    }
    System.out.printf("%-70s %s-> median %.0f MB/s%n", what, runs, sorted[sorted.length / 2]);
  }

  private static void deleteTree(Path dir) throws Exception {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
