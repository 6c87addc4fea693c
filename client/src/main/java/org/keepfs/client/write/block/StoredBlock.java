package org.keepfs.client.write.block;

import java.util.Objects;
import org.keepfs.locator.Locator;

/** A block that is already in Keep, named by its (possibly signed) locator. */
public record StoredBlock(Locator locator) implements BlockRef {
  public StoredBlock {
    Objects.requireNonNull(locator, "locator");
  }

  @Override
  public long size() {
    return locator.size();
  }
}
