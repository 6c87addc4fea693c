package org.keepfs.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.keepfs.locator.Locator;
import org.keepfs.store.local.BlockCache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's view of all its block stores: reads try them in order ({@code +K}-hinted stores
 * first, in hint order), writes go to every write store.
 *
 * <p>No byte leaves this class unchecked. How a read is checked depends on the store's {@link
 * BlockStore.Integrity}:
 *
 * <ul>
 *   <li>{@code LOCAL}: the first read of a block in this process hashes the whole file; after that
 *       ranges are mapped straight from the file. Blocks this gateway has just written count as
 *       checked.
 *   <li>{@code CHECKED_RANGES}: whole blocks are hashed; a range is served on the store's own
 *       per-response check.
 *   <li>{@code UNTRUSTED}: the whole block is fetched and hashed before any of it is used, then kept
 *       in the read cache (when there is one) so later ranges cost a local read.
 * </ul>
 *
 * A store whose bytes fail the check is logged and skipped, and the next store is tried.
 */
public final class StoreChain implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StoreChain.class);

  private final List<BlockStore> readStores;
  private final List<BlockStore> writeStores;
  private final Optional<BlockCache> cache;
  private final Path spoolDir;
  private final VerifiedBlocks verified = new VerifiedBlocks(1 << 20);
  private volatile Observer observer = (store, kind) -> {};

  /** Told about each failed read from a store (for metrics). */
  @FunctionalInterface
  public interface Observer {
    /** {@code kind} is {@code corrupt} (bytes failed the check) or {@code unavailable}. */
    void storeFailed(String storeId, String kind);
  }

  /** Sets who is told about failed store reads. */
  public void observe(Observer observer) {
    this.observer = observer;
  }

  /**
   * @param readStores stores to read from, in the order to try them
   * @param writeStores stores every uploaded block is written to (usually a subset of readStores)
   * @param cache where blocks fetched from non-local stores are kept, if anywhere
   * @param spoolDir where uploads are received before they are checked; on the same filesystem as a
   *     local write store so that storing the block is a link, not a copy
   */
  public StoreChain(List<BlockStore> readStores, List<BlockStore> writeStores, Optional<BlockCache> cache, Path spoolDir) {
    if (readStores.isEmpty()) {
      throw new IllegalArgumentException("at least one block store is needed to read from");
    }
    this.readStores = List.copyOf(readStores);
    this.writeStores = List.copyOf(writeStores);
    this.cache = cache;
    this.spoolDir = spoolDir;
  }

  /** Where uploads are received. */
  public Path spoolDir() {
    return spoolDir;
  }

  /** True when at least one store accepts writes. */
  public boolean writable() {
    return !writeStores.isEmpty();
  }

  /** The stores to try for this locator: hinted ones first, in hint order, then the rest. */
  List<BlockStore> readOrder(Locator locator) {
    Set<BlockStore> order = new LinkedHashSet<>();
    cache.ifPresent(order::add);
    for (String hint : locator.serviceHints()) {
      for (BlockStore store : readStores) {
        if (store.answersTo(hint)) {
          order.add(store);
        }
      }
    }
    order.addAll(readStores);
    return new ArrayList<>(order);
  }

  /** The {@code +K} hints of the locator that name no configured store. */
  public List<String> unknownServiceHints(Locator locator) {
    return locator.serviceHints().stream()
        .filter(h -> readStores.stream().noneMatch(s -> s.answersTo(h)))
        .toList();
  }

  /**
   * Bytes {@code [offset, offset + length)} of the block, checked as the class comment says.
   *
   * @throws BlockNotFoundException when every store said it does not hold the block
   * @throws CorruptBlockException when some store held it but its bytes failed the check, and no
   *     store had good bytes
   * @throws StoreUnavailableException when some store could not be asked and none had the block
   */
  public ByteBuffer read(Locator locator, long offset, int length) throws IOException {
    if (offset < 0 || length < 0 || offset + length > locator.size()) {
      throw new IllegalArgumentException("range " + offset + "+" + length + " is outside block " + locator.hashAndSize());
    }
    if (locator.isEmptyBlock()) {
      return ByteBuffer.allocate(0);
    }
    List<String> failures = new ArrayList<>();
    int corrupt = 0;
    int unavailable = 0;
    IOException lastUnavailable = null;
    for (BlockStore store : readOrder(locator)) {
      try {
        return readFrom(store, locator, offset, length);
      } catch (BlockNotFoundException e) {
        failures.add(store.id() + ": not found");
      } catch (CorruptBlockException e) {
        corrupt++;
        failures.add(store.id() + ": corrupt");
        observer.storeFailed(store.id(), "corrupt");
        LOG.error("not serving {} from {}: {}", locator.hashAndSize(), store.id(), e.getMessage());
      } catch (IOException | RuntimeException e) {
        unavailable++;
        observer.storeFailed(store.id(), "unavailable");
        lastUnavailable = e instanceof IOException io ? io : new IOException(e);
        failures.add(store.id() + ": " + e.getMessage());
        LOG.warn("reading {} from {} failed: {}", locator.hashAndSize(), store.id(), e.toString());
      }
    }
    String detail = locator.hashAndSize() + " (" + String.join("; ", failures) + unknownHintNote(locator) + ")";
    if (unavailable > 0) {
      throw new StoreUnavailableException("could not read " + detail, lastUnavailable);
    }
    if (corrupt > 0) {
      throw new CorruptBlockException("no store has good bytes for " + detail);
    }
    throw new BlockNotFoundException("no store holds " + detail);
  }

  private String unknownHintNote(Locator locator) {
    List<String> unknown = unknownServiceHints(locator);
    return unknown.isEmpty() ? "" : "; no configured service answers to +K" + String.join(", +K", unknown);
  }

  private ByteBuffer readFrom(BlockStore store, Locator locator, long offset, int length) throws IOException {
    boolean whole = offset == 0 && length == locator.size();
    switch (store.integrity()) {
      case LOCAL -> {
        if (!verified.contains(store, locator.hash())) {
          ByteBuffer all = store.read(locator, 0, sizeOf(locator));
          check(store, locator, all);
          verified.add(store, locator.hash());
          return slice(all, offset, length);
        }
        return store.read(locator, offset, length);
      }
      case CHECKED_RANGES -> {
        if (!whole) {
          return store.read(locator, offset, length);
        }
        ByteBuffer all = store.read(locator, 0, length);
        check(store, locator, all);
        keep(locator, all);
        return all;
      }
      case UNTRUSTED -> {
        ByteBuffer all = store.read(locator, 0, sizeOf(locator));
        check(store, locator, all);
        keep(locator, all);
        return slice(all, offset, length);
      }
      default -> throw new IllegalStateException("unknown integrity " + store.integrity());
    }
  }

  private void keep(Locator locator, ByteBuffer checked) {
    if (cache.isEmpty()) {
      return;
    }
    try {
      cache.get().put(locator, checked);
      verified.add(cache.get(), locator.hash());
    } catch (IOException e) {
      LOG.warn("could not keep {} in the read cache: {}", locator.hashAndSize(), e.toString());
    }
  }

  private static int sizeOf(Locator locator) {
    if (locator.size() > Locator.MAX_BLOCK_SIZE) {
      throw new IllegalArgumentException(locator.hashAndSize() + " is larger than a block can be");
    }
    return (int) locator.size();
  }

  private static void check(BlockStore store, Locator locator, ByteBuffer data) throws CorruptBlockException {
    if (data.remaining() != locator.size()) {
      throw new CorruptBlockException(
          store.id() + " returned " + data.remaining() + " bytes for " + locator.hashAndSize());
    }
    String actual = Md5.hex(data);
    if (!actual.equals(locator.hash())) {
      throw new CorruptBlockException(store.id() + " returned bytes with MD5 " + actual + " for " + locator.hashAndSize());
    }
  }

  private static ByteBuffer slice(ByteBuffer all, long offset, int length) {
    return all.slice((int) offset, length);
  }

  /** The stored length of the block with this hash in the first store that holds it. */
  public OptionalLong sizeOf(String hash) {
    for (BlockStore store : readOrder(Locator.of(hash, 0))) {
      try {
        OptionalLong size = store.sizeOf(hash);
        if (size.isPresent()) {
          return size;
        }
      } catch (IOException | RuntimeException e) {
        LOG.warn("could not ask {} about {}: {}", store.id(), hash, e.toString());
      }
    }
    return OptionalLong.empty();
  }

  /**
   * Whether some store holds a block of this hash and size, without reading it (used to accept
   * manifests). Stores that cannot be asked count as not holding it.
   */
  public boolean holds(Locator locator) {
    if (locator.isEmptyBlock()) {
      return true;
    }
    for (BlockStore store : readOrder(locator)) {
      try {
        OptionalLong size = store.sizeOf(locator.hash());
        if (size.isPresent() && size.getAsLong() == locator.size()) {
          return true;
        }
      } catch (IOException | RuntimeException e) {
        LOG.warn("could not ask {} about {}: {}", store.id(), locator.hashAndSize(), e.toString());
      }
    }
    return false;
  }

  /**
   * Writes a checked upload to every write store.
   *
   * @return the replicas stored, summed over the write stores
   * @throws StoreFullException when every write store is full
   * @throws StoreUnavailableException when no write store took the block for another reason
   */
  public int put(Locator locator, Path verifiedContent) throws IOException {
    if (writeStores.isEmpty()) {
      throw new StoreUnavailableException("this gateway has no store to write blocks to", null);
    }
    int replicas = 0;
    int full = 0;
    IOException last = null;
    for (BlockStore store : writeStores) {
      try {
        replicas += store.put(locator, verifiedContent);
        if (store.integrity() == BlockStore.Integrity.LOCAL) {
          verified.add(store, locator.hash());
        }
      } catch (StoreFullException e) {
        full++;
        last = e;
        LOG.warn("{} is full: {}", store.id(), e.getMessage());
      } catch (IOException | RuntimeException e) {
        last = e instanceof IOException io ? io : new IOException(e);
        LOG.warn("writing {} to {} failed: {}", locator.hashAndSize(), store.id(), e.toString());
      }
    }
    if (replicas > 0) {
      return replicas;
    }
    if (full == writeStores.size()) {
      throw new StoreFullException("every write store is full: " + last.getMessage(), last);
    }
    throw new StoreUnavailableException("no write store took " + locator.hashAndSize() + ": " + last.getMessage(), last);
  }

  @Override
  public void close() throws IOException {
    IOException first = null;
    for (BlockStore store : readStores) {
      try {
        store.close();
      } catch (IOException e) {
        if (first == null) {
          first = e;
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
