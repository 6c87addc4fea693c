package org.keepfs.gateway.collections;

import java.util.Optional;
import org.keepfs.collection.ManifestLocators;
import org.keepfs.gateway.keep.KeepAccess;
import org.keepfs.locator.Locator;
import org.keepfs.manifest.Manifest;
import org.keepfs.manifest.ManifestFormatException;
import org.keepfs.store.StoreChain;

/**
 * Decides whether a manifest may become a collection: it must parse, and every block it names must
 * either carry a permission signature valid for the writer's token or be held by a block store (so a
 * collection cannot point at data nobody has, nor at data its writer was never given).
 */
final class ManifestCheck {
  private final StoreChain stores;
  private final KeepAccess access;

  ManifestCheck(StoreChain stores, KeepAccess access) {
    this.stores = stores;
    this.access = access;
  }

  /** A manifest that cannot be accepted; the message says why. */
  static final class RejectedManifestException extends Exception {
    private static final long serialVersionUID = 1L;

    RejectedManifestException(String message) {
      super(message);
    }
  }

  /** Returns the text with permission signatures removed, ready to store. */
  String accept(String text, String token) throws RejectedManifestException {
    try {
      Manifest.parse(text);
    } catch (ManifestFormatException e) {
      throw new RejectedManifestException("invalid manifest: " + e.getMessage());
    }
    for (Locator locator : ManifestLocators.of(text)) {
      if (locator.isEmptyBlock() || access.signatureValid(locator, token)) {
        continue;
      }
      if (!stores.holds(locator)) {
        throw new RejectedManifestException("the manifest names block " + locator.hashAndSize()
            + ", which no block store holds and which carries no valid permission signature");
      }
    }
    return ManifestLocators.rewrite(text, Locator::withoutSignature);
  }

  /** The text as served to {@code token}'s bearer: signed when signing is on. */
  String signFor(String text, Optional<String> token) {
    if (access.signer().isEmpty() || token.isEmpty()) {
      return text;
    }
    return ManifestLocators.rewrite(text, loc -> access.signFor(loc, token));
  }
}
