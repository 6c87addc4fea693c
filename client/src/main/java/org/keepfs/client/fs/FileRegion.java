package org.keepfs.client.fs;

import java.io.Closeable;
import java.io.IOException;

/**
 * The bytes a read would return, as {@code length} bytes at {@code position} of an open file
 * descriptor, for a front end that can send them on without copying (FUSE splice). The descriptor stays
 * valid until {@link #close}, which the front end calls once the bytes are sent.
 */
public record FileRegion(int descriptor, long position, int length, Closeable owner) implements Closeable {
  public FileRegion {
    if (descriptor < 0 || position < 0 || length <= 0) {
      throw new IllegalArgumentException("not a region of an open file: descriptor " + descriptor + ", position " + position
          + ", length " + length);
    }
  }

  @Override
  public void close() throws IOException {
    owner.close();
  }
}
