package org.keepfs.gateway.fs123;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The header rules every fs123 200 must follow, checked in one place. */
final class Fs123Assertions {
  private Fs123Assertions() {}

  /** A 200 with fs123-errno, Cache-Control with max-age, no compression, no trsum; errno replies are bare. */
  static Gateway.Reply assertFs123(Gateway.Reply r) {
    assertEquals(200, r.status(), () -> "status of " + r.headers() + " " + r.text());
    assertNotNull(r.header("fs123-errno"), "fs123-errno on every 200");
    assertTrue(r.cacheControl().maxAge().isPresent(), () -> "max-age in " + r.header("cache-control"));
    assertNull(r.header("content-encoding"), "never compressed");
    assertNull(r.header("fs123-trsum"), "no trsum");
    if (r.errno() != 0) {
      assertEquals(0, r.body().length, "errno replies have an empty body");
      assertTrue(r.header("fs123-estalecookie") == null || r.cookie() == 0, "no cookie on an errno reply");
      assertNull(r.header("etag"), "no ETag on an errno reply");
    }
    return r;
  }

  static Gateway.Reply assertOk(Gateway.Reply r) {
    assertFs123(r);
    assertEquals(0, r.errno(), () -> "errno of " + r.headers());
    return r;
  }

  static Gateway.Reply assertErrno(int errno, Gateway.Reply r) {
    assertFs123(r);
    assertEquals(errno, r.errno(), () -> "errno of " + r.headers());
    return r;
  }

  /** A quoted decimal uint64 without a leading zero. */
  static void assertFs123Etag(String etag) {
    assertNotNull(etag, "ETag");
    assertTrue(etag.matches("\"[1-9][0-9]{0,19}\""), etag);
  }
}
