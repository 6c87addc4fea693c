package org.keepfs.client.fs;

import java.util.Objects;

/**
 * How a file is opened.
 *
 * @param access read, write or both
 * @param truncate empty the file on open ({@code O_TRUNC})
 * @param append every write goes to the end ({@code O_APPEND})
 * @param exclusive with create: fail if the name exists ({@code O_EXCL})
 * @param direct the program asked to bypass caches ({@code O_DIRECT})
 */
public record OpenFlags(Access access, boolean truncate, boolean append, boolean exclusive, boolean direct) {
  public enum Access {
    READ,
    WRITE,
    READ_WRITE;

    public boolean reads() {
      return this != WRITE;
    }

    public boolean writes() {
      return this != READ;
    }
  }

  public static final OpenFlags READ_ONLY = new OpenFlags(Access.READ, false, false, false, false);

  public OpenFlags {
    Objects.requireNonNull(access, "access");
  }

  /** True if the open can change the file. */
  public boolean writes() {
    return access.writes() || truncate;
  }
}
