package org.keepfs.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.keepfs.locator.Locator;

class ManifestLocatorsTest {
  private static final String SIGNED = ". acbd18db4cc2f85cedef654fccc4a4d8+0003+K@xyzzy+A89118b78732c33104a4d6231e8b5a5fa1e4301e3@7fffffff"
      + " 37b51d194a7513e45b56f6524f2d51f2+3+Zfoo 0:3:foo 3:3:37b51d194a7513e45b56f6524f2d51f2+3+Zbar\n"
      + "./d d41d8cd98f00b204e9800998ecf8427e+0+Aabc@1 0:0:\\056\n";

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void locatorsAreListedInOrderAndFileNamesAreNotLocators() {
    assertEquals(List.of(
            Locator.parse("acbd18db4cc2f85cedef654fccc4a4d8+3+K@xyzzy+A89118b78732c33104a4d6231e8b5a5fa1e4301e3@7fffffff"),
            Locator.parse("37b51d194a7513e45b56f6524f2d51f2+3+Zfoo"),
            Locator.parse("d41d8cd98f00b204e9800998ecf8427e+0+Aabc@1")),
        ManifestLocators.locators(bytes(SIGNED)));
  }

  @Test
  void strippingSignaturesKeepsEveryOtherByte() {
    String stripped = new String(ManifestLocators.withoutSignatures(bytes(SIGNED)), StandardCharsets.UTF_8);
    assertEquals(SIGNED.replace("+A89118b78732c33104a4d6231e8b5a5fa1e4301e3@7fffffff", "").replace("+Aabc@1", ""), stripped);
    assertEquals(PortableDataHash.ofText(SIGNED), PortableDataHash.ofText(stripped));
    Manifest.parse(stripped);
  }

  @Test
  void rewritingHintsSeesTheHashAndTheHintsInOrder() {
    byte[] rewritten = ManifestLocators.rewriteHints(bytes(SIGNED),
        (hash, hints) -> Stream.concat(hints.stream(), Stream.of("Z" + hash.substring(0, 4))).toList());
    String text = new String(rewritten, StandardCharsets.UTF_8);
    assertEquals(SIGNED.replace("@7fffffff ", "@7fffffff+Zacbd ").replace("+Zfoo ", "+Zfoo+Z37b5 ")
        .replace("+Aabc@1 ", "+Aabc@1+Zd41d "), text);
    assertEquals(PortableDataHash.ofText(SIGNED), PortableDataHash.ofText(text));
  }

  @Test
  void textWithoutLocatorsIsUnchanged() {
    assertEquals("", new String(ManifestLocators.withoutSignatures(new byte[0]), StandardCharsets.UTF_8));
    String bare = ". acbd18db4cc2f85cedef654fccc4a4d8 0:3:foo\n";
    assertEquals(bare, new String(ManifestLocators.withoutSignatures(bytes(bare)), StandardCharsets.UTF_8));
  }
}
