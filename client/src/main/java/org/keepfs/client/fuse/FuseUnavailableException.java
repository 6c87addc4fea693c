package org.keepfs.client.fuse;

import java.io.IOException;

/** FUSE cannot work on this machine; the message says what to install or enable. */
public final class FuseUnavailableException extends IOException {
  private static final long serialVersionUID = 1L;

  public FuseUnavailableException(String message) {
    super(message);
  }

  public FuseUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
