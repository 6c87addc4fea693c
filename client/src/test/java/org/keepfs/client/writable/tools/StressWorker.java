package org.keepfs.client.writable.tools;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * One process of the stress test, in the spirit of arv-mount's fstest: for several rounds it creates,
 * writes, reads back, overwrites, appends, truncates, renames and deletes files and directories in its
 * own directory {@code wN/} and in the directory {@code shared/} that every worker uses (under names
 * that carry its number). Every operation is logged as it happens; every file is read back after it is
 * written and again at the end of each round. The last lines of the log are the tree the worker
 * expects to remain: {@code expect dir PATH} and {@code expect file PATH SIZE MD5}.
 *
 * <p>Exits 0 when every read matched what was written, 1 (after logging {@code MISMATCH ...}) otherwise.
 *
 * <p>Usage: {@code StressWorker ROOT N ROUNDS SEED LOG}
 */
public final class StressWorker {
  private final Path root;
  private final String me;
  private final Random random;
  private final PrintWriter log;
  /** What this worker's files hold now, by path relative to the root. */
  private final Map<String, byte[]> files = new TreeMap<>();
  /** The directories this worker made and has not removed. */
  private final Set<String> dirs = new TreeSet<>();
  private int mismatches;

  private StressWorker(Path root, int n, long seed, PrintWriter log) {
    this.root = root;
    this.me = "w" + n;
    this.random = new Random(seed);
    this.log = log;
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 5) {
      System.err.println("usage: StressWorker ROOT N ROUNDS SEED LOG");
      System.exit(2);
    }
    try (PrintWriter log = new PrintWriter(Files.newBufferedWriter(Path.of(args[4]), StandardCharsets.UTF_8), true)) {
      StressWorker w = new StressWorker(Path.of(args[0]), Integer.parseInt(args[1]), Long.parseLong(args[3]), log);
      try {
        w.run(Integer.parseInt(args[2]));
      } catch (IOException | RuntimeException e) {
        log.println("FAILED " + e);
        e.printStackTrace(log);
        System.exit(1);
      }
      System.exit(w.mismatches == 0 ? 0 : 1);
    }
  }

  private void run(int rounds) throws IOException {
    mkdir(me);
    for (int round = 0; round < rounds; round++) {
      log.println("round " + round);
      String here = me + "/r" + round;
      mkdir(here);
      for (int k = 0; k < 8; k++) {
        create(here + "/f" + k, size(k, round));
      }
      overwrite(here + "/f3", 100, 5000);
      append(here + "/f4", 70_000);
      truncate(here + "/f5", 1234);
      truncate(here + "/f6", 300_000);
      rename(here + "/f1", here + "/renamed-f1");
      delete(here + "/f2");
      create(here + "/replaced", 4321);
      create(here + "/replacement", 999);
      rename(here + "/replacement", here + "/replaced");
      if (round > 0) {
        String previous = me + "/r" + (round - 1);
        overwrite(previous + "/f7", 10, 200_000);
        rename(previous, me + "/old-" + (round - 1));
      }
      String shared = "shared/" + me + "-r" + round;
      create(shared + "-a", 50_000 + random.nextInt(50_000));
      create(shared + "-b", random.nextInt(4096));
      create(shared + "-c", 7);
      rename(shared + "-a", shared + "-moved");
      mkdir("shared/" + me + "-d" + round);
      if (round > 0) {
        delete("shared/" + me + "-r" + (round - 1) + "-b");
        rmdir("shared/" + me + "-d" + (round - 1));
        rename("shared/" + me + "-r" + (round - 1) + "-c", me + "/from-shared-" + (round - 1));
      }
      verifyAll();
      verifySharedListing();
    }
    for (String d : dirs) {
      log.println("expect dir " + d);
    }
    for (Map.Entry<String, byte[]> f : files.entrySet()) {
      log.println("expect file " + f.getKey() + " " + f.getValue().length + " " + md5(f.getValue()));
    }
    log.println(mismatches == 0 ? "done" : "done with " + mismatches + " mismatches");
  }

  private int size(int k, int round) {
    return switch (k) {
      case 0 -> 0;
      case 7 -> round == 0 ? (3 << 19) + 11 : 200_000 + random.nextInt(100_000);
      default -> random.nextInt(150_000);
    };
  }

  private void mkdir(String rel) throws IOException {
    Files.createDirectory(root.resolve(rel));
    dirs.add(rel);
    log.println("mkdir " + rel);
  }

  private void rmdir(String rel) throws IOException {
    Files.delete(root.resolve(rel));
    dirs.remove(rel);
    log.println("rmdir " + rel);
  }

  private void create(String rel, int size) throws IOException {
    byte[] b = new byte[size];
    random.nextBytes(b);
    Files.write(root.resolve(rel), b, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
    files.put(rel, b);
    log.println("create " + rel + " " + size + " " + md5(b));
    verify(rel);
  }

  /** Writes {@code length} random bytes at {@code offset} into an existing file, as r+ would. */
  private void overwrite(String rel, int offset, int length) throws IOException {
    byte[] patch = new byte[length];
    random.nextBytes(patch);
    try (FileChannel ch = FileChannel.open(root.resolve(rel), StandardOpenOption.WRITE)) {
      ByteBuffer buf = ByteBuffer.wrap(patch);
      long at = offset;
      while (buf.hasRemaining()) {
        at += ch.write(buf, at);
      }
    }
    byte[] old = files.get(rel);
    byte[] now = Arrays.copyOf(old, Math.max(old.length, offset + length));
    System.arraycopy(patch, 0, now, offset, length);
    files.put(rel, now);
    log.println("overwrite " + rel + " at " + offset + " " + length + " bytes -> " + now.length + " " + md5(now));
    verify(rel);
  }

  private void append(String rel, int length) throws IOException {
    byte[] more = new byte[length];
    random.nextBytes(more);
    Files.write(root.resolve(rel), more, StandardOpenOption.APPEND);
    byte[] old = files.get(rel);
    byte[] now = Arrays.copyOf(old, old.length + length);
    System.arraycopy(more, 0, now, old.length, length);
    files.put(rel, now);
    log.println("append " + rel + " " + length + " -> " + now.length + " " + md5(now));
    verify(rel);
  }

  private void truncate(String rel, int size) throws IOException {
    try (FileChannel ch = FileChannel.open(root.resolve(rel), StandardOpenOption.WRITE)) {
      if (size < ch.size()) {
        ch.truncate(size);
      } else {
        // Growing: a byte at the new end, the gap reads as zeros.
        ch.write(ByteBuffer.wrap(new byte[1]), size - 1);
      }
    }
    files.put(rel, Arrays.copyOf(files.get(rel), size));
    log.println("truncate " + rel + " " + size + " " + md5(files.get(rel)));
    verify(rel);
  }

  private void rename(String from, String to) throws IOException {
    Files.move(root.resolve(from), root.resolve(to), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    // A directory moves with everything under it.
    for (String f : new ArrayList<>(files.keySet())) {
      if (f.equals(from) || f.startsWith(from + "/")) {
        files.put(to + f.substring(from.length()), files.remove(f));
      }
    }
    for (String d : new ArrayList<>(dirs)) {
      if (d.equals(from) || d.startsWith(from + "/")) {
        dirs.remove(d);
        dirs.add(to + d.substring(from.length()));
      }
    }
    log.println("rename " + from + " -> " + to);
  }

  private void delete(String rel) throws IOException {
    Files.delete(root.resolve(rel));
    files.remove(rel);
    log.println("delete " + rel);
  }

  private void verify(String rel) throws IOException {
    byte[] read = Files.readAllBytes(root.resolve(rel));
    if (!Arrays.equals(read, files.get(rel))) {
      mismatches++;
      log.println("MISMATCH " + rel + ": read " + read.length + " bytes " + md5(read) + ", wrote " + files.get(rel).length
          + " bytes " + md5(files.get(rel)));
    }
  }

  private void verifyAll() throws IOException {
    for (String rel : files.keySet()) {
      verify(rel);
    }
    log.println("verified " + files.size() + " files");
  }

  /** This worker's names in shared/ are exactly the ones it expects there. */
  private void verifySharedListing() throws IOException {
    TreeSet<String> listed = new TreeSet<>();
    try (Stream<Path> s = Files.list(root.resolve("shared"))) {
      s.map(p -> "shared/" + p.getFileName()).filter(n -> n.startsWith("shared/" + me + "-")).forEach(listed::add);
    }
    TreeSet<String> expected = new TreeSet<>();
    Stream.concat(files.keySet().stream(), dirs.stream()).filter(n -> n.startsWith("shared/" + me + "-")).forEach(expected::add);
    if (!listed.equals(expected)) {
      mismatches++;
      log.println("MISMATCH listing of shared/: " + listed + ", expected " + expected);
    }
  }

  static String md5(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has MD5", e);
    }
  }

  static List<String> expectations(List<String> logLines) {
    return logLines.stream().filter(l -> l.startsWith("expect ")).toList();
  }
}
