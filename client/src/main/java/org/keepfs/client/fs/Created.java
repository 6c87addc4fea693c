package org.keepfs.client.fs;

import java.util.Objects;

/** A file created and opened in one step. */
public record Created(Entry entry, OpenFile file) {
  public Created {
    Objects.requireNonNull(entry, "entry");
    Objects.requireNonNull(file, "file");
  }
}
