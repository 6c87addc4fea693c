package org.keepfs.client.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FuseApiTest {
  @Test
  void namesParseWhateverTheirCase() {
    assertEquals(FuseApi.LOW_LEVEL, FuseApi.parse("lowlevel"));
    assertEquals(FuseApi.HIGH_LEVEL, FuseApi.parse(" HIGHLEVEL "));
    assertEquals(FuseApi.parse(FuseApi.DEFAULT_NAME), MountOptions.DEFAULT_API);
  }

  @Test
  void anUnknownNameListsTheValidOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FuseApi.parse("fuse4"));
    assertTrue(e.getMessage().contains("'fuse4'") && e.getMessage().contains("highlevel, lowlevel"), e.getMessage());
  }

  @Test
  void optionsCarryTheApi() {
    assertEquals(FuseApi.LOW_LEVEL, MountOptions.defaults("x").withApi(FuseApi.LOW_LEVEL).api());
    assertEquals(FuseApi.LOW_LEVEL, MountOptions.defaults("x").withApi(FuseApi.LOW_LEVEL).withReadOnly(false).withAllowOther(true).api());
  }
}
