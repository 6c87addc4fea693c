package org.keepfs.store;

/** The store has no room for the block; nothing of it was kept. */
public final class StoreFullException extends BlockStoreException {
  private static final long serialVersionUID = 1L;

  public StoreFullException(String message, Throwable cause) {
    super(message, cause);
  }
}
