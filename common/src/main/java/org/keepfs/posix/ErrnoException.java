package org.keepfs.posix;

import java.io.IOException;

/** A filesystem error that already knows its errno; {@link Errno#of} maps it to that number. */
public class ErrnoException extends IOException {
  private static final long serialVersionUID = 1L;

  private final int errno;

  public ErrnoException(int errno, String message) {
    super(message);
    this.errno = errno;
  }

  public ErrnoException(int errno, String message, Throwable cause) {
    super(message, cause);
    this.errno = errno;
  }

  public int errno() {
    return errno;
  }
}
