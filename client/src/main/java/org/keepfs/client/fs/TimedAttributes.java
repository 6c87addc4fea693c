package org.keepfs.client.fs;

import java.time.Duration;
import java.util.Objects;

/** Attributes and how long a front end may use them without asking again. */
public record TimedAttributes(NodeAttributes attributes, Duration timeout) {
  public TimedAttributes {
    Objects.requireNonNull(attributes, "attributes");
    Timeouts.requireNonNegative(timeout, "timeout");
  }
}
