package org.keepfs.client.write.block;

import java.io.IOException;
import org.keepfs.locator.Locator;

/** Stores blocks in Keep. Implementations retry what is worth retrying; a thrown exception is final. */
public interface BlockUploader {
  /**
   * Stores {@code data}, whose MD5 and length are {@code unsigned}, and returns the locator the store
   * answered with (signed when the store signs).
   */
  Locator put(Locator unsigned, BlockBytes data) throws IOException;
}
