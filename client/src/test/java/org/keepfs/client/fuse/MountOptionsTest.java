package org.keepfs.client.fuse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class MountOptionsTest {
  @Test
  void readOnlyDefaultsCarryTheIoSizesAndTimeouts() {
    assertArrayEquals(
        new String[] {"-o", "fsname=http://gw/,subtype=keepfs,big_writes,max_read=131072,max_write=131072,"
            + "default_permissions,use_ino,entry_timeout=1,attr_timeout=1,negative_timeout=1,ro"},
        MountOptions.defaults("http://gw/").toArguments());
  }

  @Test
  void readWriteAllowOtherAndFractionalTimeouts() {
    MountOptions o = MountOptions.defaults("x").withReadOnly(false).withAllowOther(true)
        .withTimeouts(Duration.ofMillis(1500), Duration.ofSeconds(60), Duration.ZERO);
    String joined = o.toArguments()[1];
    assertTrue(joined.endsWith("entry_timeout=1.5,attr_timeout=60,negative_timeout=0,allow_other"), joined);
  }

  @Test
  void valuesThatWouldBreakTheOptionStringAreRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MountOptions.defaults("a,b"));
    assertTrue(e.getMessage().contains("'a,b'"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> MountOptions.defaults("with space"));
    assertThrows(IllegalArgumentException.class,
        () -> MountOptions.defaults("x").withTimeouts(Duration.ofSeconds(-1), Duration.ZERO, Duration.ZERO));
  }
}
