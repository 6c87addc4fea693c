package org.keepfs.client.write.spool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.keepfs.client.write.CapturedTree;
import org.keepfs.client.write.Extent;
import org.keepfs.client.write.WritableCollection;
import org.keepfs.client.write.block.BufferAllocator;
import org.keepfs.client.write.block.BufferBlock;
import org.keepfs.locator.Locator;
import org.keepfs.manifest.Directory;
import org.keepfs.manifest.Manifest;
import org.keepfs.manifest.PortableDataHash;

/**
 * A writer's spool directory and its crash-recovery records.
 *
 * <pre>
 * SPOOL/
 *   buffers/ID   the bytes of buffer block ID, append-only (blocks past the memory limit, and blocks
 *                made durable by fsync); deleted once the block is in Keep or no longer used
 *   journal      one line per buffer block uploaded: "uploaded ID LOCATOR\n", written and forced
 *                before buffers/ID is deleted
 *   snapshot     the tree at the last fsync or commit, replaced atomically (temp file, force, rename):
 *                  keepfs-spool 1
 *                  collection NAME          (the name, with \ escaped as \\ and newline as \n)
 *                  base PDH                 (the head the tree started from, or "-" for a new collection)
 *                  (blank line)
 *                  MANIFEST                 normalized manifest text; a block still in the spool is
 *                                           written 00000000000000000000000000000000+SIZE+ZspoolID
 *                                           (SIZE bytes of buffers/ID are durable)
 * </pre>
 *
 * Recovery reads the snapshot, takes a spool block from the journal's locator when it was uploaded and
 * from buffers/ID otherwise, and commits from the recorded base (merging if the head moved since).
 * What was written but never fsynced (or committed) may be lost in a crash, as with any filesystem.
 */
public final class Spool {
  static final String MAGIC = "keepfs-spool 1";
  static final String SPOOL_HASH = "00000000000000000000000000000000";
  static final String SPOOL_HINT = "Zspool";

  private final Path dir;
  private final Path journal;
  private final Path snapshot;

  public Spool(Path dir) throws IOException {
    this.dir = Files.createDirectories(dir);
    Files.createDirectories(dir.resolve("buffers"));
    this.journal = dir.resolve("journal");
    this.snapshot = dir.resolve("snapshot");
  }

  public Path dir() {
    return dir;
  }

  /** True when an earlier run left a snapshot to recover. */
  public boolean hasSnapshot() {
    return Files.exists(snapshot);
  }

  /** Records that {@code block} is in Keep (called before its spool file is deleted). */
  public synchronized void uploaded(BufferBlock block) {
    String line = "uploaded " + block.id() + " " + block.locator() + "\n";
    try (FileChannel ch = FileChannel.open(journal, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
        StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap(line.getBytes(StandardCharsets.US_ASCII)));
      ch.force(false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the spool journal " + journal + ": " + e.getMessage(), e);
    }
  }

  /**
   * Makes the whole tree durable: every buffer block it points at is forced to the spool (or waited for
   * in Keep), then the snapshot is replaced.
   */
  public synchronized void snapshot(WritableCollection tree, String name, Optional<PortableDataHash> base) throws IOException {
    CapturedTree captured = tree.capture(false, BufferBlock::makeDurable);
    Map<BufferBlock, Long> durableEnd = new IdentityHashMap<>();
    for (CapturedTree.CapturedFile f : captured.files()) {
      for (Extent x : f.extents()) {
        if (x.block() instanceof BufferBlock b) {
          durableEnd.merge(b, x.offset() + x.length(), Math::max);
        }
      }
    }
    Directory named = captured.build(b -> {
      Locator uploaded = b.locator();
      return uploaded != null ? uploaded
          : new Locator(SPOOL_HASH, durableEnd.get(b), List.of(SPOOL_HINT + b.id()));
    });
    String text = MAGIC + "\ncollection " + escape(name) + "\nbase " + base.map(Object::toString).orElse("-") + "\n\n"
        + new String(Manifest.of(named).text(), StandardCharsets.UTF_8);
    Path tmp = dir.resolve("snapshot.tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
      ch.force(true);
    }
    try {
      Files.move(tmp, snapshot, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, snapshot, StandardCopyOption.REPLACE_EXISTING);
    }
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException ignored) {
      // Some filesystems cannot sync a directory; the rename is still ordered after the data.
    }
  }

  /** What a snapshot says: the collection, its base, and the tree with spool blocks still named by id. */
  public record Recovered(String name, Optional<PortableDataHash> base, Directory tree, Map<Long, Locator> uploaded) {}

  /** Reads the snapshot and journal an earlier run left. */
  public Recovered read() throws IOException {
    String text;
    try {
      text = Files.readString(snapshot, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new IOException("spool " + dir + " has no snapshot: nothing was made durable there", e);
    }
    String[] head = text.split("\n", 5);
    if (head.length < 5 || !head[0].equals(MAGIC) || !head[1].startsWith("collection ") || !head[2].startsWith("base ")
        || !head[3].isEmpty()) {
      throw new IOException("spool snapshot " + snapshot + " does not start with '" + MAGIC
          + "', 'collection NAME', 'base PDH' and a blank line");
    }
    String name = unescape(head[1].substring("collection ".length()));
    String basePdh = head[2].substring("base ".length());
    Optional<PortableDataHash> base = basePdh.equals("-") ? Optional.empty() : Optional.of(PortableDataHash.parse(basePdh));
    Directory tree = Manifest.parse(head[4]).root();
    Map<Long, Locator> uploaded = new HashMap<>();
    if (Files.exists(journal)) {
      int n = 0;
      for (String line : Files.readAllLines(journal, StandardCharsets.US_ASCII)) {
        n++;
        String[] f = line.split(" ");
        if (f.length != 3 || !f[0].equals("uploaded")) {
          if (line.isEmpty()) {
            continue;
          }
          throw new IOException("spool journal " + journal + " line " + n + " is not 'uploaded ID LOCATOR': " + line);
        }
        uploaded.put(Long.parseLong(f[1]), Locator.parse(f[2]));
      }
    }
    return new Recovered(name, base, tree, uploaded);
  }

  /** The spool block id a snapshot locator names, if it names one. */
  public static Optional<Long> spoolId(Locator locator) {
    if (!locator.hash().equals(SPOOL_HASH)) {
      return Optional.empty();
    }
    for (String h : locator.hints()) {
      if (h.startsWith(SPOOL_HINT)) {
        return Optional.of(Long.parseLong(h.substring(SPOOL_HINT.length())));
      }
    }
    return Optional.empty();
  }

  /** The file of spool block {@code id}. */
  public Path bufferFile(long id) {
    return BufferAllocator.bufferFile(dir, id);
  }

  /** The largest buffer id found in the spool, so new ids do not reuse a recovered file. */
  public long maxBufferId() throws IOException {
    long max = 0;
    try (var files = Files.list(dir.resolve("buffers"))) {
      for (Path p : (Iterable<Path>) files::iterator) {
        try {
          max = Math.max(max, Long.parseLong(p.getFileName().toString()));
        } catch (NumberFormatException ignored) {
          // not a buffer file
        }
      }
    }
    return max;
  }

  static String escape(String name) {
    return name.replace("\\", "\\\\").replace("\n", "\\n");
  }

  static String unescape(String s) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        char n = s.charAt(++i);
        out.append(n == 'n' ? '\n' : n);
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** Lists ids named in a tree's spool locators (for checks and tests). */
  static List<Long> idsIn(Directory tree) {
    List<Long> ids = new ArrayList<>();
    for (var e : org.keepfs.client.write.merge.FlatTree.of(tree).values()) {
      if (e instanceof org.keepfs.client.write.merge.TreeEntry.FileContent f) {
        f.segments().forEach(s -> spoolId(s.block()).ifPresent(ids::add));
      }
    }
    return ids;
  }
}
