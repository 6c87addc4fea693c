package org.keepfs.store;

import java.io.IOException;

/**
 * A block store failure whose kind decides the HTTP status a client sees. The kinds are closed so
 * that every caller handles each one.
 */
public abstract sealed class BlockStoreException extends IOException
    permits BlockNotFoundException, StoreUnavailableException, StoreFullException, CorruptBlockException {
  private static final long serialVersionUID = 1L;

  protected BlockStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
