package org.keepfs.collection;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.keepfs.manifest.PortableDataHash;

/**
 * Manifests by portable data hash, and named heads moved only by compare-and-swap. Several gateways
 * sharing one store see one truth: of two swaps from the same head, exactly one succeeds.
 */
public interface CollectionStore extends AutoCloseable {
  /** Where the named collection points, or empty when there is no such collection. */
  Optional<CollectionHead> head(String name) throws IOException;

  /**
   * Every named collection's head, in no particular order. It reads every head, so callers that list
   * often should keep the answer for a while.
   */
  List<CollectionHead> heads() throws IOException;

  /** The manifest text stored under this PDH, or empty. */
  Optional<String> manifest(PortableDataHash pdh) throws IOException;

  /**
   * Stores manifest text under its portable data hash (idempotent) and returns that hash. The text
   * should carry no permission signatures: they are per token and expire.
   */
  PortableDataHash putManifest(String text) throws IOException;

  /**
   * Points {@code name} at {@code next} if it now points at {@code expected} (or, when {@code
   * expected} is empty, if it does not exist yet).
   *
   * @return the new head
   * @throws HeadMovedException when the head is not where {@code expected} says
   */
  CollectionHead swapHead(String name, Optional<PortableDataHash> expected, PortableDataHash next)
      throws IOException, HeadMovedException;

  @Override
  default void close() throws IOException {}
}
