package org.keepfs.collection;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.keepfs.locator.Locator;

class ManifestLocatorsTest {
  static final String TEXT = ". acbd18db4cc2f85cedef654fccc4a4d8+3+Aabc@7fffffff 37b51d194a7513e45b56f6524f2d51f2+3+K@zzzzz 0:3:foo 3:3:a\\072b\n"
      + "./d\\040e acbd18db4cc2f85cedef654fccc4a4d8+3 0:3:x\n";

  @Test
  void findsEveryDistinctLocatorWithItsHints() {
    assertEquals(List.of(Locator.parse("acbd18db4cc2f85cedef654fccc4a4d8+3+Aabc@7fffffff"),
        Locator.parse("37b51d194a7513e45b56f6524f2d51f2+3+K@zzzzz"),
        Locator.parse("acbd18db4cc2f85cedef654fccc4a4d8+3")), ManifestLocators.of(TEXT));
  }

  @Test
  void rewritesLocatorsAndNothingElse() {
    String stripped = ManifestLocators.rewrite(TEXT, Locator::withoutSignature);
    assertEquals(". acbd18db4cc2f85cedef654fccc4a4d8+3 37b51d194a7513e45b56f6524f2d51f2+3+K@zzzzz 0:3:foo 3:3:a\\072b\n"
        + "./d\\040e acbd18db4cc2f85cedef654fccc4a4d8+3 0:3:x\n", stripped);
    assertEquals("", ManifestLocators.rewrite("", Locator::withoutSignature));
    assertEquals(TEXT, ManifestLocators.rewrite(TEXT, l -> l));
  }
}
