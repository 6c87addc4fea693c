package org.keepfs.client.fs;

import java.time.Duration;
import java.util.Objects;

/**
 * A name that exists, with how long a front end may cache it.
 *
 * @param attributes the node's attributes
 * @param entryTimeout how long the name may be remembered as pointing at this node
 * @param attrTimeout how long the attributes may be used without asking again
 */
public record Entry(NodeAttributes attributes, Duration entryTimeout, Duration attrTimeout) implements Lookup {
  public Entry {
    Objects.requireNonNull(attributes, "attributes");
    Timeouts.requireNonNegative(entryTimeout, "entryTimeout");
    Timeouts.requireNonNegative(attrTimeout, "attrTimeout");
  }

  public long ino() {
    return attributes.ino();
  }
}
