package org.keepfs.client.cache;

import java.io.IOException;

/** Data offered to the block cache did not match its key or digest; nothing was stored. */
public final class PieceRejectedException extends IOException {
  private static final long serialVersionUID = 1L;

  public PieceRejectedException(String message) {
    super(message);
  }
}
