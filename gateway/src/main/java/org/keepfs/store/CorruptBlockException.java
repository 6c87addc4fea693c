package org.keepfs.store;

/** The store returned bytes whose length or MD5 does not match the locator; they were not served. */
public final class CorruptBlockException extends BlockStoreException {
  private static final long serialVersionUID = 1L;

  public CorruptBlockException(String message) {
    super(message, null);
  }
}
