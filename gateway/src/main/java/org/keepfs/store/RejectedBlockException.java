package org.keepfs.store;

import java.io.IOException;

/** The bytes a client sent are not the block it named; nothing of them was stored. */
public final class RejectedBlockException extends IOException {
  private static final long serialVersionUID = 1L;

  /** Why the block was refused. */
  public enum Reason {
    /** The body's MD5 is not the hash in the request. */
    HASH_MISMATCH,
    /** The body is shorter or longer than it said it would be. */
    LENGTH_MISMATCH,
    /** The body is larger than the largest block. */
    TOO_LARGE,
  }

  private final Reason reason;

  public RejectedBlockException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
