package org.keepfs.gateway.keep;

/**
 * A request may not do what it asks. {@code status} is 401 when a credential is missing or expired
 * (asking again with a fresh one can help) and 403 when the one given is not accepted.
 */
public final class AccessDeniedException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int status;

  public AccessDeniedException(int status, String message) {
    super(message);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
