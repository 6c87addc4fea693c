package org.keepfs.signature;

import java.time.Instant;

/**
 * The outcome of checking a locator's permission signature. Each kind is its own type so that a
 * server can answer them differently (keepstore: 401 for an expired signature, 400 for a forged or
 * malformed one, 401 or 403 when a signature is required and missing).
 */
public sealed interface Verification {
  /** True only for {@link Valid}. */
  default boolean isValid() {
    return this instanceof Valid;
  }

  /** The signature was made with our key for this hash and token, and has not expired. */
  record Valid(Instant expiry) implements Verification {}

  /** The locator carries no {@code +A} hint. */
  record Missing() implements Verification {}

  /** The {@code +A} hint is not {@code A<40 hex>@<8 to 16 hex>}. */
  record Malformed(String hint) implements Verification {}

  /**
   * The expiry has passed. Checked before the HMAC, as keepstore does, so an expired signature is
   * reported as expired whether or not it was forged.
   */
  record Expired(Instant expiry) implements Verification {}

  /** The HMAC does not match: another key, another token, or an altered hash or expiry. */
  record Forged() implements Verification {}
}
