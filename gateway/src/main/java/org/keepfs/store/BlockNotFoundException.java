package org.keepfs.store;

/** The store does not hold the block (every store, when a {@code StoreChain} throws it). */
public final class BlockNotFoundException extends BlockStoreException {
  private static final long serialVersionUID = 1L;

  public BlockNotFoundException(String message) {
    super(message, null);
  }
}
