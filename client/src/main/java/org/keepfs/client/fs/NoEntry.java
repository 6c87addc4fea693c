package org.keepfs.client.fs;

import java.time.Duration;

/** No such name; the absence may be remembered for {@code negativeTimeout}. */
public record NoEntry(Duration negativeTimeout) implements Lookup {
  /** An absence that must not be cached. */
  public static final NoEntry UNCACHED = new NoEntry(Duration.ZERO);

  public NoEntry {
    Timeouts.requireNonNegative(negativeTimeout, "negativeTimeout");
  }
}
