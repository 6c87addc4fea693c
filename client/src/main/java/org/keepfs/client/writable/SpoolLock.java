package org.keepfs.client.writable;

import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Exclusive use of a spool directory by one process (a mount or {@code keepfs recover}), so two
 * writers never interleave their records, and the {@code owner} file that says which gateway and
 * collection the spool belongs to (what {@code keepfs recover SPOOL} needs to know).
 *
 * <pre>
 * SPOOL/lock    held with an OS file lock while a process uses the spool (released when it dies)
 * SPOOL/owner   "gateway URL\ncollection NAME\n"
 * </pre>
 */
public final class SpoolLock implements AutoCloseable {
  static final String LOCK_FILE = "lock";
  static final String OWNER_FILE = "owner";

  /** What {@code SPOOL/owner} records. */
  public record Owner(URI gateway, String collection) {}

  /** Another process holds the spool. */
  public static final class InUseException extends IOException {
    InUseException(String message) {
      super(message);
    }
  }

  private final FileChannel channel;
  private final FileLock lock;

  private SpoolLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Locks {@code spoolDir} (created if missing); fails with a clear message when another process holds it. */
  public static SpoolLock acquire(Path spoolDir) throws IOException {
    Files.createDirectories(spoolDir);
    FileChannel ch = FileChannel.open(spoolDir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock l;
    try {
      l = ch.tryLock();
    } catch (OverlappingFileLockException e) {
      l = null;
    } catch (IOException e) {
      ch.close();
      throw e;
    }
    if (l == null) {
      ch.close();
      throw new InUseException("spool " + spoolDir + " is in use by another keepfs process (a mount of the same"
          + " collection, or keepfs recover): end that one first, or give this one its own --spool-dir");
    }
    return new SpoolLock(ch, l);
  }

  /** Records which gateway and collection the spool belongs to. */
  public static void writeOwner(Path spoolDir, Owner owner) throws IOException {
    Path tmp = spoolDir.resolve(OWNER_FILE + ".tmp");
    Files.writeString(tmp, "gateway " + owner.gateway() + "\ncollection " + owner.collection().replace("\\", "\\\\").replace("\n", "\\n")
        + "\n", StandardCharsets.UTF_8);
    Files.move(tmp, spoolDir.resolve(OWNER_FILE), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /** What {@code SPOOL/owner} says, or empty when the file is missing. */
  public static Optional<Owner> readOwner(Path spoolDir) throws IOException {
    Path f = spoolDir.resolve(OWNER_FILE);
    if (!Files.exists(f)) {
      return Optional.empty();
    }
    Map<String, String> fields = new HashMap<>();
    for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
      int space = line.indexOf(' ');
      if (space > 0) {
        fields.put(line.substring(0, space), line.substring(space + 1));
      }
    }
    String gateway = fields.get("gateway");
    String collection = fields.get("collection");
    if (gateway == null || collection == null) {
      throw new IOException(f + " must have a 'gateway URL' and a 'collection NAME' line");
    }
    try {
      return Optional.of(new Owner(URI.create(gateway), unescape(collection)));
    } catch (IllegalArgumentException e) {
      throw new IOException(f + ": gateway '" + gateway + "' is not a URL");
    }
  }

  /** Undoes the escaping of {@link #writeOwner}: {@code \\} and {@code \n}. */
  private static String unescape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        char next = s.charAt(++i);
        out.append(next == 'n' ? '\n' : next);
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }
}
