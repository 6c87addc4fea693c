package org.keepfs.store;

/** The store could not be reached or answered with a temporary error; retrying later may work. */
public final class StoreUnavailableException extends BlockStoreException {
  private static final long serialVersionUID = 1L;

  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
