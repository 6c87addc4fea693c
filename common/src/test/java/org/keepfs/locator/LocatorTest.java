package org.keepfs.locator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LocatorTest {
  private static final String H = "d41d8cd98f00b204e9800998ecf8427e";

  @ParameterizedTest
  @ValueSource(strings = {
    "d41d8cd98f00b204e9800998ecf8427e+0",
    "d41d8cd98f00b204e9800998ecf8427e+0+Z",
    "d41d8cd98f00b204e9800998ecf8427e+0+Z+Ada39a3ee5e6b4b0d3255bfef95601890afd80709@53bed294",
    "930625b054ce894ac40596c3f5a0d947+33+Rzzzzz-1f27b2b7b3f7a8e0a7b6e2a3f0e4d2c1b0a9f8e7b79@5835c8bc",
    "acbd18db4cc2f85cedef654fccc4a4d8+3+K@xyzzy",
  })
  void validLocatorsRoundTrip(String text) {
    assertEquals(text, Locator.parse(text).toString());
  }

  @Test
  void accessorsFindHintsInOrder() {
    Locator l = Locator.parse(H + "+0+K@one+Zfoo+Aabc@7fffffff+K@two+Rzzzzz-abc@1");
    assertEquals(List.of("@one", "@two"), l.serviceHints());
    assertEquals(Optional.of("Aabc@7fffffff"), l.signatureHint());
    assertEquals(List.of("Rzzzzz-abc@1"), l.remoteHints());
    assertEquals(H + "+0", l.withoutHints().toString());
    assertEquals(H + "+0+K@one+Zfoo+K@two+Rzzzzz-abc@1", l.withoutSignature().toString());
    assertTrue(l.isEmptyBlock());
  }

  @Test
  void leadingZerosInSizeAreAccepted() {
    assertEquals(3, Locator.parse("acbd18db4cc2f85cedef654fccc4a4d8+0003").size());
  }

  @Test
  void missingSizeIsRejected() {
    LocatorFormatException e = assertThrows(LocatorFormatException.class, () -> Locator.parse(H));
    assertTrue(e.getMessage().contains("size is missing"), e.getMessage());
  }

  @Test
  void hintBeforeSizeIsRejectedNamingTheToken() {
    LocatorFormatException e =
        assertThrows(LocatorFormatException.class, () -> Locator.parse(H + "+Afoo@1+3"));
    assertTrue(e.getMessage().contains("+Afoo@1"), e.getMessage());
  }

  @Test
  void twoSizesAreRejected() {
    LocatorFormatException e =
        assertThrows(LocatorFormatException.class, () -> Locator.parse(H + "+3+4"));
    assertTrue(e.getMessage().contains("'+4'"), e.getMessage());
  }

  @Test
  void lowerCaseHintIsRejected() {
    LocatorFormatException e =
        assertThrows(LocatorFormatException.class, () -> Locator.parse(H + "+3+zfoo"));
    assertTrue(e.getMessage().contains("+zfoo"), e.getMessage());
  }

  @Test
  void badCharacterInHintIsRejected() {
    assertThrows(LocatorFormatException.class, () -> Locator.parse(H + "+3+Z*"));
    assertThrows(LocatorFormatException.class, () -> Locator.parse(H + "+3+Z/x"));
  }

  @Test
  void badHashesAreRejected() {
    assertThrows(LocatorFormatException.class, () -> Locator.parse("D41D8CD98F00B204E9800998ECF8427E+0"));
    assertThrows(LocatorFormatException.class, () -> Locator.parse("d41d8cd98f00b204e9800998ecf8427+0"));
    assertThrows(LocatorFormatException.class, () -> Locator.parse(""));
    assertThrows(LocatorFormatException.class, () -> Locator.parse("../../etc/passwd+3"));
  }

  @Test
  void emptyHintsAndTrailingPlusAreRejected() {
    assertThrows(LocatorFormatException.class, () -> Locator.parse(H + "+3+"));
    assertThrows(LocatorFormatException.class, () -> Locator.parse(H + "+3++A"));
    assertThrows(LocatorFormatException.class, () -> Locator.parse(H + "+"));
  }

  @Test
  void hugeSizeIsRejected() {
    assertThrows(LocatorFormatException.class, () -> Locator.parse(H + "+99999999999999999999999"));
  }

  @Test
  void isHashChecksExactly() {
    assertTrue(Locator.isHash(H));
    assertFalse(Locator.isHash(H + "0"));
    assertFalse(Locator.isHash(H.toUpperCase()));
  }
}
