package org.keepfs.client.write.block;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.keepfs.locator.Locator;

/** Reads bytes of stored blocks, for the parts of a file that are already in Keep. */
public interface BlockReader {
  /** Fills {@code dst} from {@code block} starting at {@code offset}; the range lies inside the block. */
  void read(Locator block, long offset, ByteBuffer dst) throws IOException;
}
