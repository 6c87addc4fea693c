package org.keepfs.store.local;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;
import org.keepfs.locator.Locator;
import org.keepfs.posix.Errno;
import org.keepfs.store.BlockNotFoundException;
import org.keepfs.store.BlockStore;
import org.keepfs.store.CorruptBlockException;
import org.keepfs.store.StoreFullException;

/**
 * Blocks as files under {@code <root>/blocks/<first 3 hex of hash>/<hash>}.
 *
 * <p>Every write goes to a temporary file in {@code <root>/tmp}, is forced to disk and then renamed
 * over the final name, so a reader sees either no file or the whole block, and two writers of the
 * same block both succeed with the same bytes. Reads map the file, so serving a block copies
 * nothing in user space.
 */
public final class LocalDirectoryBlockStore implements BlockStore {
  private final String id;
  private final Path root;
  private final Path blocks;
  private final Path tmp;
  private final MappedBlocks mapped = new MappedBlocks(64);

  public LocalDirectoryBlockStore(String id, Path root) throws IOException {
    this.id = id;
    this.root = root;
    this.blocks = root.resolve("blocks");
    this.tmp = root.resolve("tmp");
    Files.createDirectories(blocks);
    Files.createDirectories(tmp);
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public Integrity integrity() {
    return Integrity.LOCAL;
  }

  /** The directory that holds this store; uploads spool under it so they can be linked in place. */
  public Path root() {
    return root;
  }

  /** Where temporary files of this store go. */
  public Path tmpDir() {
    return tmp;
  }

  /** The file that holds (or would hold) the block with this hash. */
  public Path pathOf(String hash) {
    return blocks.resolve(hash.substring(0, 3)).resolve(hash);
  }

  @Override
  public OptionalLong sizeOf(String hash) throws IOException {
    try {
      return OptionalLong.of(Files.size(pathOf(hash)));
    } catch (NoSuchFileException e) {
      return OptionalLong.empty();
    }
  }

  @Override
  public ByteBuffer read(Locator locator, long offset, int length) throws IOException {
    if (offset < 0 || length < 0 || offset + length > locator.size()) {
      throw new IllegalArgumentException(
          "range " + offset + "+" + length + " is outside block " + locator.hashAndSize());
    }
    MappedByteBuffer whole = mapped.get(locator.hash());
    if (whole == null || whole.capacity() != locator.size()) {
      whole = map(locator);
    }
    return whole.slice((int) offset, length);
  }

  private MappedByteBuffer map(Locator locator) throws IOException {
    Path path = pathOf(locator.hash());
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      long size = channel.size();
      if (size != locator.size()) {
        throw new CorruptBlockException(
            id + " holds " + size + " bytes for " + locator.hashAndSize() + " (file " + path + ")");
      }
      MappedByteBuffer whole = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
      mapped.put(locator.hash(), whole);
      return whole;
    } catch (NoSuchFileException e) {
      throw new BlockNotFoundException(id + " does not hold " + locator.hashAndSize());
    }
  }

  @Override
  public int put(Locator locator, Path verifiedContent) throws IOException {
    Path target = pathOf(locator.hash());
    if (holds(target, locator)) {
      return 1;
    }
    Path temp = Files.createTempFile(tmp, locator.hash() + ".", ".new");
    try {
      // A hard link shares the already-forced bytes of a spool file on this filesystem; across
      // filesystems the bytes are copied and forced here.
      Files.delete(temp);
      try {
        Files.createLink(temp, verifiedContent);
      } catch (IOException | UnsupportedOperationException crossDevice) {
        Files.copy(verifiedContent, temp);
        force(temp);
      }
      moveIntoPlace(temp, target);
      return 1;
    } catch (IOException e) {
      throw fullOr(e);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Stores a block from memory (a block fetched from another store and already checked). */
  public void put(Locator locator, ByteBuffer verifiedContent) throws IOException {
    Path target = pathOf(locator.hash());
    if (holds(target, locator)) {
      return;
    }
    Path temp = Files.createTempFile(tmp, locator.hash() + ".", ".new");
    try {
      try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer data = verifiedContent.duplicate();
        while (data.hasRemaining()) {
          out.write(data);
        }
        out.force(false);
      }
      moveIntoPlace(temp, target);
    } catch (IOException e) {
      throw fullOr(e);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Removes the block; used by a bounded cache to make room. */
  public void delete(String hash) throws IOException {
    mapped.forget(hash);
    Files.deleteIfExists(pathOf(hash));
  }

  private static boolean holds(Path target, Locator locator) throws IOException {
    try {
      return Files.size(target) == locator.size();
    } catch (NoSuchFileException e) {
      return false;
    }
  }

  private void moveIntoPlace(Path temp, Path target) throws IOException {
    mapped.forget(target.getFileName().toString());
    Files.createDirectories(target.getParent());
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("cannot rename " + temp + " to " + target + " atomically", e);
    }
    forceDirectory(target.getParent());
  }

  private static void force(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.force(false);
    }
  }

  /** The rename is durable only once the directory entry is on disk too. */
  private static void forceDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // Some filesystems cannot sync a directory; the file itself is already forced.
    }
  }

  private IOException fullOr(IOException e) {
    if (Errno.of(e) == Errno.ENOSPC
        || (e instanceof FileSystemException f && "No space left on device".equals(f.getReason()))
        || String.valueOf(e.getMessage()).contains("No space left on device")) {
      return new StoreFullException(id + " has no space left under " + root, e);
    }
    return e;
  }

  @Override
  public String toString() {
    return "local directory " + root + " (" + id + ")";
  }
}
