package org.keepfs.client.write;

import java.util.Objects;
import org.keepfs.client.write.block.BlockRef;

/** {@code length} bytes of a file, held in {@code block} from {@code offset}. */
public record Extent(BlockRef block, long offset, long length) {
  public Extent {
    Objects.requireNonNull(block, "block");
    if (offset < 0 || length <= 0) {
      throw new IllegalArgumentException("an extent needs offset >= 0 and length > 0, got " + offset + "+" + length);
    }
  }

  Extent slice(long skip, long n) {
    return new Extent(block, offset + skip, n);
  }
}
