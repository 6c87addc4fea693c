package org.keepfs.locator;

/** A locator that does not follow {@code md5hex+size(+Hint)*}; the message names the token. */
public final class LocatorFormatException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String token;

  public LocatorFormatException(String token, String reason) {
    super("invalid locator '" + token + "': " + reason);
    this.token = token;
  }

  /** The text that was rejected. */
  public String token() {
    return token;
  }
}
