package org.keepfs.client.cache;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Operations per second of the reply cache (run by {@code bench/cache/reply-cache.sh}): puts of
 * fs123-sized replies (a 300-byte attribute reply), then gets of all of them in a new instance
 * (each get reads the file and checks its CRC32C). Prints each run and the median.
 *
 * <p>Arguments: cache directory, number of replies, runs.
 */
public final class ReplyCacheBench {
  private ReplyCacheBench() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int count = Integer.parseInt(args[1]);
    int runs = Integer.parseInt(args[2]);
    byte[] body = new byte[300];
    Arrays.fill(body, (byte) 'a');
    for (boolean fsync : new boolean[] {false, true}) {
      double[] puts = new double[runs];
      double[] gets = new double[runs];
      for (int r = 0; r < runs; r++) {
        deleteTree(dir);
        ReplyCache cache = ReplyCache.open(CacheOptions.of(dir, 1L << 30).withFsync(fsync));
        long t0 = System.nanoTime();
        for (int i = 0; i < count; i++) {
          cache.put(new StoredReply("http://gw/fs123/7/2/a/dir/file-" + i, 200,
              Map.of("fs123-errno", "0", "etag", "\"" + i + "\"", "cache-control", "max-age=60"), body, Instant.now(),
              Duration.ZERO, new CacheLifetimes(Duration.ofSeconds(60), Duration.ZERO, Duration.ZERO)));
        }
        puts[r] = count / ((System.nanoTime() - t0) / 1e9);
        ReplyCache fresh = ReplyCache.open(CacheOptions.of(dir, 1L << 30));
        t0 = System.nanoTime();
        for (int i = 0; i < count; i++) {
          fresh.get("http://gw/fs123/7/2/a/dir/file-" + i).orElseThrow();
        }
        gets[r] = count / ((System.nanoTime() - t0) / 1e9);
      }
      report("put (" + (fsync ? "fsync" : "no fsync") + ")", puts);
      report("get, new instance (" + (fsync ? "after fsync puts" : "after no-fsync puts") + ")", gets);
    }
    deleteTree(dir);
  }

  private static void report(String what, double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    StringBuilder runs = new StringBuilder();
    for (double v : values) {
      runs.append(String.format("%.0f ", v));
    }
    System.out.printf("%-45s %s-> median %.0f ops/s%n", what, runs, sorted[sorted.length / 2]);
  }

  private static void deleteTree(Path dir) throws Exception {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
