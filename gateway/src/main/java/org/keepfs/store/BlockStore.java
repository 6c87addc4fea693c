package org.keepfs.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.keepfs.locator.Locator;

/**
 * A place that holds Keep blocks by hash. A store only moves keys and bytes: checking that the bytes
 * are the block the locator names is {@link StoreChain}'s job, except where a store says otherwise.
 */
public interface BlockStore extends AutoCloseable {
  /** The name this store goes by in logs, errors and {@code +K} hints. */
  String id();

  /** How far bytes read from this store can be trusted; decides how {@link StoreChain} verifies them. */
  Integrity integrity();

  /** True when a {@code +K} hint (the text after {@code K}) names this store or one of its services. */
  default boolean answersTo(String serviceHint) {
    return serviceHint.equals(id()) || serviceHint.equals("@" + id());
  }

  /** The stored length of the block with this hash, or empty when this store does not hold it. */
  OptionalLong sizeOf(String hash) throws IOException;

  /**
   * Bytes {@code [offset, offset + length)} of the block. The buffer holds exactly {@code length}
   * bytes, positioned at 0.
   *
   * @throws BlockNotFoundException when this store does not hold the block
   */
  ByteBuffer read(Locator locator, long offset, int length) throws IOException;

  /**
   * Stores the block whose content is {@code verifiedContent}, a file the caller has already checked
   * against the locator's hash and size. Storing a block that is already there succeeds. A store may
   * link the file into place rather than copy it, and reads of a block this gateway stored or already
   * verified are not hashed again ({@link StoreChain}), so the caller must never change the file after
   * this call; it may only delete its own name for it.
   *
   * @return the number of replicas this store now keeps
   */
  int put(Locator locator, Path verifiedContent) throws IOException;

  @Override
  default void close() throws IOException {}

  /** What a store promises about the bytes it returns. */
  enum Integrity {
    /**
     * Files on this host that this gateway wrote after checking them: each block is hashed once in
     * full on its first read in this process, then ranges are read without re-hashing.
     */
    LOCAL,
    /**
     * The store checks each range it returns against a digest it computed when the block was
     * written (S3: the object's ETag is the MD5 sent with the upload), so ranges can be read alone.
     */
    CHECKED_RANGES,
    /** Nothing is promised: only whole blocks are read, and each is hashed before any byte is used. */
    UNTRUSTED,
  }
}
