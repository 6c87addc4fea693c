package org.keepfs.client.fs;

import java.time.Duration;
import java.util.Objects;

/** The one check that cache lifetimes handed to a front end make sense. */
final class Timeouts {
  private Timeouts() {}

  static Duration requireNonNegative(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative, got " + d);
    }
    return d;
  }
}
