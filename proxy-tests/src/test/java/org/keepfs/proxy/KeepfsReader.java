package org.keepfs.proxy;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.keepfs.client.fs.Entry;
import org.keepfs.client.fs.FileSystem;
import org.keepfs.client.fs.OpenFile;
import org.keepfs.client.fs.OpenFlags;
import org.keepfs.client.http.HttpOptions;
import org.keepfs.client.mount.ClientConfig;
import org.keepfs.client.mount.ClientSetup;

/**
 * One keepfs client with its own, initially empty, block and reply caches: the whole client of
 * {@code keepfs mount} ({@link ClientSetup}) without the kernel, read through the {@link FileSystem}
 * interface the FUSE adapter calls.
 */
final class KeepfsReader implements AutoCloseable {
  /** What the kernel asks for at a time with the mount's max_read. */
  static final int READ_SIZE = 128 << 10;
  /** Block cache and reply cache (a tenth): the 128 MiB export file's chunks fit in the reply cache. */
  static final long CACHE_BYTES = 2L << 30;

  /** Called after every read with the bytes read so far. */
  @FunctionalInterface
  interface Progress {
    void at(long bytesRead) throws Exception;
  }

  private final ClientSetup client;
  private final FileSystem fs;
  private final Path cacheDir;

  KeepfsReader(ClientConfig config) throws IOException {
    this.client = ClientSetup.open(config);
    this.fs = client.fileSystem();
    this.cacheDir = config.cacheDir();
  }

  /** A client of {@code http} with fresh caches in {@code cacheDir}. */
  static KeepfsReader open(HttpOptions http, Path cacheDir) throws IOException {
    return new KeepfsReader(new ClientConfig(http, cacheDir, CACHE_BYTES, false, Duration.ofDays(10), "",
        Duration.ofSeconds(5)));
  }

  /** The names in directory {@code path} ("a/b", from the mount root), as readdir gives them. */
  List<String> list(String path) throws Exception {
    long dir = resolve(path);
    List<String> names = new ArrayList<>();
    long[] next = {0};
    while (true) {
      int before = names.size();
      // Like the kernel's readdir buffer: a full sink refuses the entry, which comes again next time.
      fs.readdir(dir, next[0], e -> {
        if (names.size() - before >= 1000) {
          return false;
        }
        names.add(e.name());
        next[0] = e.nextOffset();
        return true;
      });
      if (names.size() == before) {
        return names;
      }
    }
  }

  /**
   * What {@code ls -l} asks: the names in directory {@code path}, then each one's attributes. Every
   * client then has asked for the same replies, whatever its listing prefetches in the background.
   */
  List<String> listLong(String path) throws Exception {
    long dir = resolve(path);
    List<String> names = list(path);
    for (String name : names) {
      assertInstanceOf(Entry.class, fs.lookup(dir, name), path + "/" + name + " was listed but cannot be looked up");
    }
    return names;
  }

  /** Reads all of file {@code path} in {@link #READ_SIZE} reads; returns its MD5. */
  String md5(String path) throws Exception {
    return md5(path, done -> { });
  }

  String md5(String path, Progress progress) throws Exception {
    OpenFile f = fs.open(resolve(path), OpenFlags.READ_ONLY);
    try {
      MessageDigest md5 = MessageDigest.getInstance("MD5");
      ByteBuffer buf = ByteBuffer.allocate(READ_SIZE);
      long offset = 0;
      while (true) {
        buf.clear();
        int n = f.read(buf, offset);
        if (n <= 0) {
          return HexFormat.of().formatHex(md5.digest());
        }
        md5.update(buf.array(), 0, n);
        offset += n;
        progress.at(offset);
      }
    } finally {
      f.release();
    }
  }

  /** The client's counters, as {@code .keepfs/stats} shows them. */
  String stats() {
    return client.renderStats();
  }

  /** A counter of {@link #stats}, such as {@code http.failures}. */
  long stat(String name) {
    for (String line : stats().split("\n")) {
      if (line.startsWith(name + " ")) {
        return Long.parseLong(line.substring(name.length() + 1).trim());
      }
    }
    throw new IllegalArgumentException("the client's stats have no " + name + ":\n" + stats());
  }

  /**
   * Waits (up to two minutes) until a second passes in which the client made no request and answered
   * nothing from its reply cache: until the background work of a listing is over. A listing leaves a
   * background fetch of every entry's attributes (RemoteTree.list, for servers whose listings carry
   * no attributes); closing the client interrupts what is left of it, and tens of thousands of
   * interrupted tasks waiting on one semaphore keep the JVM's virtual-thread carriers busy for
   * minutes, stalling every other client in the process.
   */
  private void awaitQuiet() {
    long deadline = System.nanoTime() + 120_000_000_000L;
    long last = -1;
    while (System.nanoTime() < deadline) {
      long now = stat("http.requests") + stat("reply_cache.hits") + stat("reply_cache.memory_hits")
          + stat("reply_cache.misses");
      if (now == last) {
        return;
      }
      last = now;
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private long resolve(String path) throws IOException {
    long ino = FileSystem.ROOT_INODE;
    for (String name : path.split("/")) {
      if (!name.isEmpty()) {
        ino = assertInstanceOf(Entry.class, fs.lookup(ino, name), path + ": no " + name).ino();
      }
    }
    return ino;
  }

  @Override
  public void close() throws IOException {
    awaitQuiet();
    client.close();
    try (Stream<Path> all = Files.walk(cacheDir)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
