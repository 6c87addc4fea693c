package org.keepfs.store.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.keepfs.locator.Locator;
import org.keepfs.store.BlockStore;

/**
 * A size-bounded local copy of blocks fetched from slower stores, least recently used first out.
 * The index lives in memory and is rebuilt from the directory at start (oldest modification first),
 * so the cache survives restarts; a block is only added after it has been checked.
 */
public final class BlockCache implements BlockStore {
  private final LocalDirectoryBlockStore files;
  private final long capacityBytes;
  private final Map<String, Long> sizes = new LinkedHashMap<>(16, 0.75f, true);
  private long usedBytes;

  public BlockCache(Path root, long capacityBytes) throws IOException {
    if (capacityBytes < Locator.MAX_BLOCK_SIZE) {
      throw new IllegalArgumentException("a block cache needs room for at least one block ("
          + Locator.MAX_BLOCK_SIZE + " bytes), got " + capacityBytes);
    }
    this.files = new LocalDirectoryBlockStore("cache", root);
    this.capacityBytes = capacityBytes;
    loadIndex(root.resolve("blocks"));
  }

  private void loadIndex(Path blocksDir) throws IOException {
    List<Path> found = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(blocksDir, 2)) {
      walk.filter(Files::isRegularFile).filter(p -> Locator.isHash(p.getFileName().toString())).forEach(found::add);
    }
    found.sort((a, b) -> lastModified(a).compareTo(lastModified(b)));
    for (Path p : found) {
      long size = Files.size(p);
      sizes.put(p.getFileName().toString(), size);
      usedBytes += size;
    }
    evict();
  }

  private static java.nio.file.attribute.FileTime lastModified(Path p) {
    try {
      return Files.getLastModifiedTime(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String id() {
    return files.id();
  }

  @Override
  public Integrity integrity() {
    return Integrity.LOCAL;
  }

  @Override
  public boolean answersTo(String serviceHint) {
    return false;
  }

  @Override
  public OptionalLong sizeOf(String hash) throws IOException {
    synchronized (this) {
      if (!sizes.containsKey(hash)) {
        return OptionalLong.empty();
      }
    }
    return files.sizeOf(hash);
  }

  @Override
  public ByteBuffer read(Locator locator, long offset, int length) throws IOException {
    synchronized (this) {
      sizes.get(locator.hash());
    }
    return files.read(locator, offset, length);
  }

  @Override
  public int put(Locator locator, Path verifiedContent) throws IOException {
    files.put(locator, verifiedContent);
    admit(locator);
    return 1;
  }

  /** Keeps a checked block fetched from elsewhere. */
  public void put(Locator locator, ByteBuffer verifiedContent) throws IOException {
    files.put(locator, verifiedContent);
    admit(locator);
  }

  private void admit(Locator locator) throws IOException {
    synchronized (this) {
      Long old = sizes.put(locator.hash(), locator.size());
      usedBytes += locator.size() - (old == null ? 0 : old);
    }
    evict();
  }

  /** Bytes held now; for tests and metrics. */
  public synchronized long usedBytes() {
    return usedBytes;
  }

  private void evict() throws IOException {
    List<String> victims = new ArrayList<>();
    synchronized (this) {
      Iterator<Map.Entry<String, Long>> it = sizes.entrySet().iterator();
      while (usedBytes > capacityBytes && it.hasNext()) {
        Map.Entry<String, Long> eldest = it.next();
        usedBytes -= eldest.getValue();
        victims.add(eldest.getKey());
        it.remove();
      }
    }
    // A reader that already mapped a victim keeps its bytes; unlinking does not disturb a mapping.
    for (String hash : victims) {
      files.delete(hash);
    }
  }

  @Override
  public String toString() {
    return "block cache " + files.root() + " (" + capacityBytes + " bytes)";
  }
}
