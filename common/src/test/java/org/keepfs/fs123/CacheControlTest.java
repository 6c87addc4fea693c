package org.keepfs.fs123;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CacheControlTest {
  @Test
  void parsesTheDirectivesFs123Uses() {
    CacheControl cc = CacheControl.parse("public, max-age=120,stale-while-revalidate=30 ,stale-if-error=1000, immutable");
    assertEquals(OptionalLong.of(120), cc.maxAge());
    assertEquals(OptionalLong.of(30), cc.staleWhileRevalidate());
    assertEquals(OptionalLong.of(1000), cc.staleIfError());
    assertTrue(cc.isPublic());
    assertTrue(cc.immutable());
    assertFalse(cc.noCache());
  }

  @Test
  void sMaxageIsNotMaxAge() {
    CacheControl cc = CacheControl.parse("s-maxage=100");
    assertTrue(cc.maxAge().isEmpty());
    assertEquals(0, cc.maxAgeOrZero());
    assertEquals(OptionalLong.of(7), CacheControl.parse("s-maxage=100, max-age=7").maxAge());
    assertTrue(CacheControl.parse("xmax-age=5").maxAge().isEmpty());
  }

  @Test
  void requestDirectives() {
    CacheControl cc = CacheControl.parse("no-cache,max-stale=0,stale-if-error=864000");
    assertTrue(cc.noCache());
    assertEquals(OptionalLong.of(0), cc.maxStale());
    assertEquals(OptionalLong.of(Long.MAX_VALUE), CacheControl.parse("max-stale").maxStale());
    assertEquals("max-stale", CacheControl.NONE.withMaxStale(Long.MAX_VALUE).format());
  }

  @Test
  void formatsInAFixedOrderAndRoundTrips() {
    CacheControl cc = CacheControl.maxAge(30).withStaleWhileRevalidate(30).withStaleIfError(1000000);
    assertEquals("max-age=30,stale-while-revalidate=30,stale-if-error=1000000", cc.format());
    assertEquals(cc, CacheControl.parse(cc.format()));
    CacheControl all = cc.withPublic(true).withImmutable(true).withNoCache(true).withMaxStale(5);
    assertEquals(all, CacheControl.parse(all.format()));
  }

  @Test
  void unknownDirectivesAndQuotedValuesAreSkipped() {
    CacheControl cc = CacheControl.parse("private=\"a, b\", max-age=3, must-revalidate");
    assertEquals(OptionalLong.of(3), cc.maxAge());
  }

  @Test
  void hugeValuesMeanAVeryLongTime() {
    assertEquals(OptionalLong.of(Integer.MAX_VALUE), CacheControl.parse("max-age=99999999999999999999").maxAge());
  }

  @ParameterizedTest
  @ValueSource(strings = {"max-age", "max-age=", "max-age=-1", "max-age=1.5", "max-age=abc", "stale-while-revalidate=x",
      "max-age=\"5", "=5"})
  void rejectsBadValuesOfKnownDirectives(String header) {
    Fs123FormatException e = assertThrows(Fs123FormatException.class, () -> CacheControl.parse(header));
    assertTrue(e.getMessage().contains("Cache-Control"), e.getMessage());
  }

  @Test
  void rejectsNegativeSeconds() {
    assertThrows(IllegalArgumentException.class, () -> CacheControl.maxAge(-1));
  }

  @Test
  void entityTagsAreQuotedDecimalWithoutLeadingZero() {
    long tag = EntityTag.of(1700000000000000000L, 99, 4096);
    String text = EntityTag.format(tag);
    assertTrue(text.matches("\"[1-9][0-9]*\""), text);
    assertTrue(EntityTag.matches(text, tag));
    assertTrue(EntityTag.matches("\"1\", " + text, tag));
    assertTrue(EntityTag.matches("W/" + text, tag));
    assertTrue(EntityTag.matches("*", tag));
    assertFalse(EntityTag.matches("\"0" + Long.toUnsignedString(tag) + "\"", tag));
    assertFalse(EntityTag.matches("garbage", tag));
    assertFalse(EntityTag.matches("\"99999999999999999999999\"", tag));
    assertTrue(EntityTag.of(1, 2, 3) != EntityTag.of(1, 2, 4));
    assertThrows(IllegalArgumentException.class, () -> EntityTag.format(0));
  }
}
