package org.keepfs.gateway.keep;

import java.util.Optional;
import java.util.Set;
import org.keepfs.locator.Locator;
import org.keepfs.signature.BlobSigner;
import org.keepfs.signature.Verification;

/**
 * Who may read and write blocks and collections, and the permission signatures that prove a reader
 * was given a locator.
 *
 * <ul>
 *   <li>Writes need a token listed in the write token file; with none configured, writes are off.
 *   <li>Reads are open unless read tokens are configured; then the token must be a read or write
 *       token.
 *   <li>With a blob signing key, a block read also needs a {@code +A} signature made for the
 *       request's token, and uploads and served manifests carry signatures.
 * </ul>
 *
 * @param readTokens tokens allowed to read; empty means reads are open
 * @param writeTokens tokens allowed to write; empty means writes are refused
 * @param signer the blob signer, when signing is on
 */
public record KeepAccess(Optional<Set<String>> readTokens, Set<String> writeTokens, Optional<BlobSigner> signer) {
  public KeepAccess {
    readTokens = readTokens.map(Set::copyOf);
    writeTokens = Set.copyOf(writeTokens);
  }

  /** Open reads, no writes, no signing. */
  public static KeepAccess readOnlyOpen() {
    return new KeepAccess(Optional.empty(), Set.of(), Optional.empty());
  }

  /**
   * The token of an {@code Authorization: Bearer <token>} or legacy {@code OAuth2 <token>} header.
   */
  public static Optional<String> token(String authorization) {
    if (authorization == null) {
      return Optional.empty();
    }
    String value = authorization.trim();
    for (String scheme : new String[] {"Bearer ", "OAuth2 "}) {
      if (value.regionMatches(true, 0, scheme, 0, scheme.length())) {
        String token = value.substring(scheme.length()).trim();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
      }
    }
    return Optional.empty();
  }

  /** Checks that the bearer of {@code token} may read metadata (collections, manifests). */
  public void checkRead(Optional<String> token) throws AccessDeniedException {
    if (readTokens.isEmpty()) {
      return;
    }
    String t = token.orElseThrow(() -> new AccessDeniedException(401,
        "this gateway needs a token to read: send 'Authorization: Bearer <token>'"));
    if (!readTokens.get().contains(t) && !writeTokens.contains(t)) {
      throw new AccessDeniedException(403, "the token given may not read from this gateway");
    }
  }

  /** Checks that the bearer of {@code token} may read the block {@code locator}. */
  public void checkBlockRead(Locator locator, Optional<String> token) throws AccessDeniedException {
    checkRead(token);
    if (signer.isEmpty() || locator.isEmptyBlock()) {
      return;
    }
    String t = token.orElseThrow(() -> new AccessDeniedException(401,
        "reading a block needs a token and a signed locator: send 'Authorization: Bearer <token>'"));
    switch (signer.get().verify(locator, t)) {
      case Verification.Valid v -> {}
      case Verification.Missing m -> throw new AccessDeniedException(401,
          "locator " + locator.hashAndSize() + " carries no +A permission signature");
      case Verification.Expired e -> throw new AccessDeniedException(401,
          "the permission signature of " + locator.hashAndSize() + " expired at " + e.expiry());
      case Verification.Malformed m -> throw new AccessDeniedException(403,
          "permission hint '+" + m.hint() + "' is not +A<40 hex>@<expiry hex>");
      case Verification.Forged f -> throw new AccessDeniedException(403,
          "the permission signature of " + locator.hashAndSize() + " is not valid for this token");
    }
  }

  /** True when the locator carries a signature valid for this token (used to accept manifests). */
  public boolean signatureValid(Locator locator, String token) {
    return signer.isPresent() && signer.get().verify(locator, token).isValid();
  }

  /** Checks that the bearer of {@code token} may write, and returns the token. */
  public String checkWrite(Optional<String> token) throws AccessDeniedException {
    if (writeTokens.isEmpty()) {
      throw new AccessDeniedException(403,
          "writes are disabled on this gateway: start it with --write-token-file to allow them");
    }
    String t = token.orElseThrow(() -> new AccessDeniedException(401,
        "writing needs a token: send 'Authorization: Bearer <token>'"));
    if (!writeTokens.contains(t)) {
      throw new AccessDeniedException(403, "the token given may not write to this gateway");
    }
    return t;
  }

  /** The locator to hand back to {@code token}'s bearer: signed when signing is on. */
  public Locator signFor(Locator locator, Optional<String> token) {
    if (signer.isEmpty() || token.isEmpty() || locator.isEmptyBlock()) {
      return locator;
    }
    return signer.get().sign(locator, token.get());
  }
}
