package org.keepfs.collection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CollectionNameTest {
  @ParameterizedTest
  @ValueSource(strings = {"results", "a b", "été", "x:y", "with+plus", "-"})
  void acceptsOrdinaryNames(String name) {
    assertEquals(name, CollectionName.check(name));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", ".", "..", "a/b", "tab\there", "nul\u0000", "del\u007f"})
  void refusesNamesThatCannotBeDirectoriesWithAReason(String name) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CollectionName.check(name));
    assertTrue(e.getMessage().length() > 10, e.getMessage());
  }

  @org.junit.jupiter.api.Test
  void refusesNamesOver255Bytes() {
    String name = "é".repeat(128);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CollectionName.check(name));
    assertTrue(e.getMessage().contains("255"), e.getMessage());
  }
}
