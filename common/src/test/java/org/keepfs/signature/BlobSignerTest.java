package org.keepfs.signature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.keepfs.SharedVectors;
import org.keepfs.locator.Locator;
import org.keepfs.manifest.Manifest;
import org.keepfs.manifest.ManifestLocators;
import org.keepfs.manifest.PortableDataHash;

class BlobSignerTest {
  private static final JsonNode VECTOR = SharedVectors.read("keep.json").get("signature");
  private static final String KEY = VECTOR.get("key").asText();
  private static final String TOKEN = VECTOR.get("token").asText();
  private static final Duration TTL = Duration.ofSeconds(VECTOR.get("ttl_seconds").asLong());
  private static final Instant EXPIRY = Instant.ofEpochSecond(Long.parseLong(VECTOR.get("expiry_hex").asText(), 16));
  private static final Clock BEFORE_EXPIRY = Clock.fixed(Instant.parse("2026-11-23T00:00:00Z"), ZoneOffset.UTC);
  private static final String SIGNATURE_HINT = VECTOR.get("signed").asText().substring(
      VECTOR.get("locator").asText().length() + 1);

  private static BlobSigner signer(Clock clock) {
    return new BlobSigner(KEY, TTL, clock);
  }

  @Test
  void signingMatchesTheReferenceVector() {
    Locator signed = signer(BEFORE_EXPIRY).sign(Locator.parse(VECTOR.get("locator").asText()), TOKEN, EXPIRY);
    assertEquals(VECTOR.get("signed").asText(), signed.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "acbd18db4cc2f85cedef654fccc4a4d8+3+%s",
    "acbd18db4cc2f85cedef654fccc4a4d8+3+K@xyzzy+%s",
    "acbd18db4cc2f85cedef654fccc4a4d8+3+%s+Zfoo",
    "acbd18db4cc2f85cedef654fccc4a4d8+3+K@xyzzy+%s+Zfoo",
    "acbd18db4cc2f85cedef654fccc4a4d8+999999+%s",
  })
  void theReferenceSignatureVerifiesWhateverTheSizeAndOtherHints(String pattern) {
    Locator locator = Locator.parse(pattern.formatted(SIGNATURE_HINT));
    assertEquals(new Verification.Valid(EXPIRY), signer(BEFORE_EXPIRY).verify(locator, TOKEN));
  }

  @Test
  void aSignatureMadeNowVerifiesUntilItsTtlEnds() {
    BlobSigner signer = signer(BEFORE_EXPIRY);
    Locator signed = signer.sign(Locator.parse("acbd18db4cc2f85cedef654fccc4a4d8+3"), TOKEN);
    Instant expiry = BEFORE_EXPIRY.instant().plus(TTL);
    assertEquals(new Verification.Valid(expiry), signer.verify(signed, TOKEN));
    assertTrue(signed.toString().endsWith("@" + Long.toHexString(expiry.getEpochSecond())), signed.toString());

    BlobSigner atExpiry = signer(Clock.fixed(expiry, ZoneOffset.UTC));
    assertEquals(new Verification.Valid(expiry), atExpiry.verify(signed, TOKEN));
    BlobSigner afterExpiry = signer(Clock.fixed(expiry.plusSeconds(1), ZoneOffset.UTC));
    assertEquals(new Verification.Expired(expiry), afterExpiry.verify(signed, TOKEN));
  }

  @Test
  void signingReplacesAnOldSignatureAndKeepsOtherHints() {
    BlobSigner signer = signer(BEFORE_EXPIRY);
    Locator old = Locator.parse("acbd18db4cc2f85cedef654fccc4a4d8+3+K@xyzzy+" + SIGNATURE_HINT + "+Zfoo");
    Locator resigned = signer.sign(old, "another-token", EXPIRY);
    assertEquals(1, resigned.hints().stream().filter(h -> h.startsWith("A")).count(), resigned.toString());
    assertTrue(resigned.toString().startsWith("acbd18db4cc2f85cedef654fccc4a4d8+3+K@xyzzy+Zfoo+A"), resigned.toString());
    assertTrue(signer.verify(resigned, "another-token").isValid());
    assertInstanceOf(Verification.Forged.class, signer.verify(resigned, TOKEN));
  }

  @Test
  void anExpiredSignatureIsReportedAsExpired() {
    Clock after = Clock.fixed(EXPIRY.plusSeconds(1), ZoneOffset.UTC);
    Locator locator = Locator.parse(VECTOR.get("signed").asText());
    assertEquals(new Verification.Expired(EXPIRY), signer(after).verify(locator, TOKEN));
  }

  @Test
  void anotherTokenOrKeyOrTtlMakesTheSignatureForged() {
    Locator locator = Locator.parse(VECTOR.get("signed").asText());
    assertInstanceOf(Verification.Forged.class, signer(BEFORE_EXPIRY).verify(locator, TOKEN + "x"));
    assertInstanceOf(Verification.Forged.class, new BlobSigner(KEY + "x", TTL, BEFORE_EXPIRY).verify(locator, TOKEN));
    assertInstanceOf(Verification.Forged.class,
        new BlobSigner(KEY, TTL.plusSeconds(1), BEFORE_EXPIRY).verify(locator, TOKEN));
  }

  @Test
  void alteringTheHashOrTheExpiryMakesTheSignatureForged() {
    String signature = SIGNATURE_HINT.substring(1, SIGNATURE_HINT.indexOf('@'));
    Locator otherHash = Locator.parse("37b51d194a7513e45b56f6524f2d51f2+3+" + SIGNATURE_HINT);
    Locator laterExpiry = Locator.parse("acbd18db4cc2f85cedef654fccc4a4d8+3+A" + signature + "@7ffffffe");
    assertInstanceOf(Verification.Forged.class, signer(BEFORE_EXPIRY).verify(otherHash, TOKEN));
    assertInstanceOf(Verification.Forged.class, signer(BEFORE_EXPIRY).verify(laterExpiry, TOKEN));
  }

  @Test
  void anUnsignedLocatorIsMissingItsSignature() {
    Locator locator = Locator.parse("acbd18db4cc2f85cedef654fccc4a4d8+3+K@xyzzy");
    assertEquals(new Verification.Missing(), signer(BEFORE_EXPIRY).verify(locator, TOKEN));
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "Aabc",
    "A89118b78732c33104a4d6231e8b5a5fa1e4301e3",
    "A89118b78732c33104a4d6231e8b5a5fa1e4301e@7fffffff",
    "A89118B78732C33104A4D6231E8B5A5FA1E4301E3@7fffffff",
    "A89118b78732c33104a4d6231e8b5a5fa1e4301e3@7ffffff",
    "A89118b78732c33104a4d6231e8b5a5fa1e4301e3@7fffffffffffffff0",
    "A89118b78732c33104a4d6231e8b5a5fa1e4301e3@ffffffffffffffff",
    "Aasignatureforthisblockaaaaaaaaaaaaaaaaaa@5f612ee6",
  })
  void aMalformedSignatureHintIsNamed(String hint) {
    Locator locator = Locator.parse("acbd18db4cc2f85cedef654fccc4a4d8+3+" + hint);
    assertEquals(new Verification.Malformed(hint), signer(BEFORE_EXPIRY).verify(locator, TOKEN));
  }

  @Test
  void signingAManifestSignsEveryLocatorAndKeepsItsHash() {
    BlobSigner signer = signer(BEFORE_EXPIRY);
    String text = ". acbd18db4cc2f85cedef654fccc4a4d8+3+K@xyzzy 37b51d194a7513e45b56f6524f2d51f2+3+Aold@1 0:6:foo\n"
        + "./d d41d8cd98f00b204e9800998ecf8427e+0 0:0:\\056\n";
    byte[] signed = signer.signManifest(text.getBytes(StandardCharsets.UTF_8), TOKEN, EXPIRY);
    List<Locator> locators = ManifestLocators.locators(signed);
    assertEquals(3, locators.size());
    for (Locator l : locators) {
      assertEquals(new Verification.Valid(EXPIRY), signer.verify(l, TOKEN), l.toString());
    }
    assertEquals(VECTOR.get("signed").asText().replace("+3+A", "+3+K@xyzzy+A"), locators.getFirst().toString());
    assertEquals(PortableDataHash.ofText(text), PortableDataHash.ofText(signed));
    assertEquals(text, new String(ManifestLocators.withoutSignatures(signed), StandardCharsets.UTF_8)
        .replace("37b51d194a7513e45b56f6524f2d51f2+3 ", "37b51d194a7513e45b56f6524f2d51f2+3+Aold@1 "));
    assertEquals(2, Manifest.parse(signed).root().size(), "the signed text is still a valid manifest");
  }

  @Test
  void badSettingsAreRejectedWithTheirValue() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new BlobSigner(KEY, Duration.ZERO, BEFORE_EXPIRY));
    assertTrue(e.getMessage().contains("PT0S"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new BlobSigner("", TTL, BEFORE_EXPIRY));
    assertThrows(IllegalArgumentException.class,
        () -> signer(BEFORE_EXPIRY).sign(Locator.parse("acbd18db4cc2f85cedef654fccc4a4d8+3"), ""));
  }
}
