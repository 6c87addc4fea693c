package org.keepfs.collection;

import java.util.Optional;
import org.keepfs.manifest.PortableDataHash;

/** A compare-and-swap of a head failed: it no longer points where the caller expected. */
public final class HeadMovedException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient Optional<PortableDataHash> current;

  public HeadMovedException(String name, Optional<PortableDataHash> expected, Optional<PortableDataHash> current) {
    super("collection '" + name + "' is " + current.map(p -> "at " + p).orElse("absent") + ", not "
        + expected.map(p -> "at " + p).orElse("absent") + " as the request assumed");
    this.current = current;
  }

  /** Where the head is now (empty when the collection does not exist). */
  public Optional<PortableDataHash> current() {
    return current;
  }
}
