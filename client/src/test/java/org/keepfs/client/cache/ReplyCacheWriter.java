package org.keepfs.client.cache;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * A child process for the kill -9 test: stores replies for {@code url-0, url-1, ...} forever and
 * prints "stored N" after each put returns, until it is killed.
 */
public final class ReplyCacheWriter {
  private ReplyCacheWriter() {}

  static String url(int i) {
    return "http://gw/fs123/7/2/f/file-" + i + "?131072;0";
  }

  static byte[] body(int i) {
    return ("content of file " + i + " ").repeat(1 + i % 50).getBytes(StandardCharsets.UTF_8);
  }

  public static void main(String[] args) throws Exception {
    ReplyCache cache = ReplyCache.open(CacheOptions.of(Path.of(args[0]), 1L << 30));
    for (int i = 0; ; i++) {
      cache.put(new StoredReply(url(i), 200, Map.of("fs123-errno", "0", "ETag", "\"" + i + "\""), body(i),
          Instant.now(), Duration.ZERO, new CacheLifetimes(Duration.ofSeconds(60), Duration.ZERO, Duration.ZERO)));
      System.out.println("stored " + i);
      System.out.flush();
    }
  }
}
