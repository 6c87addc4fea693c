package org.keepfs.gateway.collectiontree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LruCacheTest {
  @Test
  void staysWithinItsWeightDroppingTheLeastRecentlyUsedFirst() {
    LruCache<String, String> cache = new LruCache<>(10, String::length);
    cache.put("a", "aaaa");
    cache.put("b", "bbbb");
    assertEquals("aaaa", cache.get("a")); // a is now more recent than b
    cache.put("c", "cccc");               // 12 > 10: b goes
    assertNull(cache.get("b"));
    assertEquals("aaaa", cache.get("a"));
    assertEquals("cccc", cache.get("c"));
    assertEquals(2, cache.size());
  }

  @Test
  void replacingAValueReweighsItAndTooHeavyValuesAreNotKept() {
    LruCache<String, String> cache = new LruCache<>(10, String::length);
    cache.put("a", "aaaaaaaa");
    cache.put("a", "a");
    cache.put("b", "bbbbbbbbb"); // 1 + 9 = 10 fits only if the replaced weight was given back
    assertEquals("a", cache.get("a"));
    assertEquals("bbbbbbbbb", cache.get("b"));
    cache.put("huge", "x".repeat(11));
    assertNull(cache.get("huge"));
    assertEquals(2, cache.size(), "a value over the bound evicts nothing");
    assertThrows(IllegalArgumentException.class, () -> new LruCache<String, String>(-1, String::length));
  }
}
