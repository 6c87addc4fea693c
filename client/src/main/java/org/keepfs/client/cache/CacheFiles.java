package org.keepfs.client.cache;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How an entry reaches the disk: written to {@code tmp/<pid>-<n>.tmp}, optionally forced to the
 * device, then renamed over its final name, so a reader sees either no file or a complete one, even
 * after {@code kill -9}. Temporary files of processes that no longer run are removed by
 * {@link #removeStaleTemps}.
 */
final class CacheFiles {
  private static final String TMP_SUFFIX = ".tmp";
  private static final AtomicLong SEQUENCE = new AtomicLong();
  private static final long PID = ProcessHandle.current().pid();

  private CacheFiles() {}

  static void write(Path tmpDir, Path target, boolean fsync, ByteBuffer... parts) throws IOException {
    Path tmp = tmpDir.resolve(PID + "-" + SEQUENCE.incrementAndGet() + TMP_SUFFIX);
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        for (ByteBuffer part : parts) {
          while (part.hasRemaining()) {
            ch.write(part);
          }
        }
        if (fsync) {
          ch.force(false);
        }
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (NoSuchFileException e) {
        // The shard directory's first entry (or the temp file vanished, and this fails again).
        Files.createDirectories(target.getParent());
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
  }

  /** Deletes a file; true if this call removed it. */
  static boolean delete(Path file) {
    try {
      return Files.deleteIfExists(file);
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Marks an entry as used for other processes' scans (they order by modification time), unless it
   * was marked less than {@code intervalMillis} ago.
   */
  static void touch(Path file, long nowMillis, long intervalMillis) {
    try {
      if (nowMillis - Files.getLastModifiedTime(file).toMillis() > intervalMillis) {
        Files.setLastModifiedTime(file, FileTime.fromMillis(nowMillis));
      }
    } catch (NoSuchFileException e) {
      // Evicted by another process meanwhile: nothing to mark.
    } catch (IOException e) {
      // Recency is a hint; failing to record it must not fail the read.
    }
  }

  /** Removes temporary files left by processes that are gone (crashed mid-write). */
  static int removeStaleTemps(Path tmpDir) throws IOException {
    int removed = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(tmpDir, "*" + TMP_SUFFIX)) {
      for (Path f : files) {
        String name = f.getFileName().toString();
        int dash = name.indexOf('-');
        long pid;
        try {
          pid = Long.parseLong(name.substring(0, dash));
        } catch (RuntimeException e) {
          pid = -1;
        }
        boolean alive = pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        if (!alive && delete(f)) {
          removed++;
        }
      }
    }
    return removed;
  }

  /** An 8-character ASCII tag as the little-endian long that writes it byte for byte. */
  static long magic(String eightChars) {
    byte[] b = eightChars.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    if (b.length != 8) {
      throw new IllegalArgumentException("a magic tag has 8 characters: " + eightChars);
    }
    return ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
  }

  /**
   * The files one level below the shard directories of {@code dir}. Files that vanish while we look
   * (another process evicted them) are simply not listed.
   */
  static java.util.List<Path> listEntries(Path dir) throws IOException {
    java.util.List<Path> files = new java.util.ArrayList<>();
    try (DirectoryStream<Path> shards = Files.newDirectoryStream(dir)) {
      for (Path shard : shards) {
        if (!Files.isDirectory(shard)) {
          continue;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(shard)) {
          for (Path f : entries) {
            files.add(f);
          }
        } catch (NoSuchFileException e) {
          // Shard removed meanwhile: nothing in it to list.
        }
      }
    }
    return files;
  }
}
