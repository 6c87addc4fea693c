package org.keepfs.signature;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.keepfs.locator.Locator;
import org.keepfs.manifest.ManifestLocators;

/**
 * Signs and verifies Keep permission signatures.
 *
 * <p>The signature is {@code hex(HMAC-SHA1(key, hash + "@" + token + "@" + expiryHex + "@" + ttlHex))}
 * written as the hint {@code +A<signature>@<expiryHex>}. Only the 32-digit hash is signed, so the size
 * and other hints may change without invalidating it. {@code expiryHex} is the expiry in Unix seconds,
 * at least 8 lower-case hex digits; {@code ttlHex} is the signing TTL in seconds, lower-case hex without
 * padding. Both ends must agree on the key and the TTL.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class BlobSigner {
  private static final String ALGORITHM = "HmacSHA1";
  private static final HexFormat HEX = HexFormat.of();
  private static final int SIGNATURE_HEX_DIGITS = 40;
  private static final int MIN_EXPIRY_HEX_DIGITS = 8;
  private static final int MAX_EXPIRY_HEX_DIGITS = 16;

  private final SecretKeySpec key;
  private final Mac keyedMac; // never used itself, only cloned
  private final Duration ttl;
  private final String ttlHex;
  private final Clock clock;

  /**
   * @param key the cluster's blob signing key (its bytes as UTF-8)
   * @param ttl how long a signature lives; part of the signed message, so signer and verifier must agree
   * @param clock the time that new signatures start from and that expiries are checked against
   */
  public BlobSigner(String key, Duration ttl, Clock clock) {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("the blob signing key must not be empty");
    }
    if (ttl == null || ttl.isNegative() || ttl.isZero() || ttl.getNano() != 0) {
      throw new IllegalArgumentException("the signature TTL must be a positive whole number of seconds, not " + ttl);
    }
    this.key = new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), ALGORITHM);
    this.ttl = ttl;
    this.ttlHex = Long.toHexString(ttl.getSeconds());
    this.clock = clock;
    this.keyedMac = keyedMac(this.key); // fails now, not on the first request, if the JDK lacks HMAC-SHA1
  }

  /** How long signatures made by {@link #sign(Locator, String)} live. */
  public Duration ttl() {
    return ttl;
  }

  /** Signs {@code locator} for {@code token}, expiring one TTL from now. */
  public Locator sign(Locator locator, String token) {
    return sign(locator, token, clock.instant().plus(ttl));
  }

  /**
   * Signs {@code locator} for {@code token} with the given expiry (whole seconds; Keep also caps it at
   * the block's trash time). An existing {@code +A} hint is replaced; other hints keep their order.
   */
  public Locator sign(Locator locator, String token, Instant expiry) {
    requireToken(token);
    String expiryHex = expiryHex(expiry);
    String hint = "A" + signature(locator.hash(), token, expiryHex) + "@" + expiryHex;
    return locator.withoutSignature().withHint(hint);
  }

  /**
   * Manifest text with every locator signed for {@code token}, expiring one TTL from now (the form a
   * manifest is served to a client in). Old signatures are replaced; the hash+size of each locator and
   * every other byte are unchanged, so the portable data hash is the same.
   */
  public byte[] signManifest(byte[] manifestText, String token) {
    return signManifest(manifestText, token, clock.instant().plus(ttl));
  }

  /** {@link #signManifest(byte[], String)} with the given expiry for every locator. */
  public byte[] signManifest(byte[] manifestText, String token, Instant expiry) {
    requireToken(token);
    String expiryHex = expiryHex(expiry);
    return ManifestLocators.rewriteHints(manifestText, (hash, hints) -> {
      List<String> signed = new ArrayList<>(hints.size() + 1);
      for (String hint : hints) {
        if (hint.charAt(0) != 'A') {
          signed.add(hint);
        }
      }
      signed.add("A" + signature(hash, token, expiryHex) + "@" + expiryHex);
      return signed;
    });
  }

  /** Checks the {@code +A} hint of {@code locator} for {@code token}. */
  public Verification verify(Locator locator, String token) {
    requireToken(token);
    Optional<String> found = locator.signatureHint();
    if (found.isEmpty()) {
      return new Verification.Missing();
    }
    String hint = found.get();
    int at = hint.indexOf('@');
    String signature = at < 0 ? "" : hint.substring(1, at);
    String expiryHex = at < 0 ? "" : hint.substring(at + 1);
    if (signature.length() != SIGNATURE_HEX_DIGITS || !isLowerHex(signature)
        || expiryHex.length() < MIN_EXPIRY_HEX_DIGITS || expiryHex.length() > MAX_EXPIRY_HEX_DIGITS
        || !isLowerHex(expiryHex)) {
      return new Verification.Malformed(hint);
    }
    long seconds = Long.parseUnsignedLong(expiryHex, 16);
    if (seconds < 0 || seconds > Instant.MAX.getEpochSecond()) {
      return new Verification.Malformed(hint);
    }
    Instant expiry = Instant.ofEpochSecond(seconds);
    if (expiry.isBefore(clock.instant())) {
      return new Verification.Expired(expiry);
    }
    byte[] expected = signature(locator.hash(), token, expiryHex).getBytes(StandardCharsets.US_ASCII);
    byte[] given = signature.getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(expected, given) ? new Verification.Valid(expiry) : new Verification.Forged();
  }

  private static String expiryHex(Instant expiry) {
    if (expiry.getEpochSecond() < 0) {
      throw new IllegalArgumentException("a signature cannot expire before 1970: " + expiry);
    }
    return String.format("%08x", expiry.getEpochSecond());
  }

  private String signature(String hash, String token, String expiryHex) {
    String message = hash + "@" + token + "@" + expiryHex + "@" + ttlHex;
    return HEX.formatHex(newMac().doFinal(message.getBytes(StandardCharsets.UTF_8)));
  }

  private Mac newMac() {
    // Cloning a keyed Mac is much cheaper than looking one up and keying it, which matters when a
    // manifest of thousands of locators is signed for every request.
    try {
      return (Mac) keyedMac.clone();
    } catch (CloneNotSupportedException e) {
      return keyedMac(key);
    }
  }

  private static Mac keyedMac(SecretKeySpec key) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA1 is not available in this JDK", e);
    }
  }

  private static void requireToken(String token) {
    if (token == null || token.isEmpty()) {
      throw new IllegalArgumentException("the API token must not be empty");
    }
  }

  private static boolean isLowerHex(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }
}
