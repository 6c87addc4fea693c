package org.keepfs.manifest;

import java.util.Objects;
import org.keepfs.locator.Locator;

/**
 * A piece of a file: {@code length} bytes of {@code block} starting at {@code offset}. A file's bytes are
 * its segments concatenated in order.
 */
public record Segment(Locator block, long offset, long length) {
  public Segment {
    Objects.requireNonNull(block, "block");
    if (offset < 0 || length <= 0 || offset + length > block.size()) {
      throw new IllegalArgumentException("segment " + offset + "+" + length + " does not lie inside block "
          + block.hashAndSize() + " (offset >= 0, length > 0, offset + length <= block size)");
    }
  }
}
