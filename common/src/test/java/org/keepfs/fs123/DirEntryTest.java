package org.keepfs.fs123;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DirEntryTest {
  @Test
  void recordIsNetstringTypeCookieNewline() {
    assertEquals("5:hello, 8 42\n", new String(new DirEntry("hello", DType.REG, 42).encode(), StandardCharsets.UTF_8));
    assertEquals("1:., 4 0\n", new String(new DirEntry(".", DType.DIR, 0).encode(), StandardCharsets.UTF_8));
    assertEquals("3:a b, 10 18446744073709551615\n",
        new String(new DirEntry("a b", DType.LNK, -1L).encode(), StandardCharsets.UTF_8));
  }

  @Test
  void namesAreCountedInUtf8Bytes() {
    byte[] rec = new DirEntry("é", DType.REG, 1).encode();
    assertTrue(new String(rec, StandardCharsets.UTF_8).startsWith("2:é, "));
    assertEquals(List.of(new DirEntry("é", DType.REG, 1)), DirEntry.parseAll(rec));
  }

  @Test
  void parseAllRoundTrips() {
    List<DirEntry> entries = List.of(new DirEntry(".", 4, 0), new DirEntry("..", 4, 0),
        new DirEntry("with space", 8, 7), new DirEntry("new\nline", 8, 9), new DirEntry("l", 10, 0));
    DirChunkBuilder b = new DirChunkBuilder(1024);
    entries.forEach(e -> assertTrue(b.add(e)));
    assertEquals(entries, DirEntry.parseAll(b.toByteArray()));
  }

  @Test
  void rejectsBadNames() {
    assertThrows(Fs123FormatException.class, () -> new DirEntry("", 8, 0));
    assertThrows(Fs123FormatException.class, () -> new DirEntry("a/b", 8, 0));
    assertThrows(Fs123FormatException.class, () -> new DirEntry("x".repeat(256), 8, 0));
    assertThrows(Fs123FormatException.class, () -> new DirEntry("a", 16, 0));
  }

  @ParameterizedTest
  @ValueSource(strings = {"1:a, 8 0", "1:a, 8\n", "1:a,  8 0\n", "1:a, 8 x\n", "1:a, 99 0\n", "2:a, 8 0\n", "1:a, 8 0 1\n", "1:a,8 0\n"})
  void rejectsMalformedRecords(String text) {
    assertThrows(Fs123FormatException.class, () -> DirEntry.parseAll(text.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void chunkBuilderNeverExceedsItsBudgetAndRefusesWholeRecords() {
    DirChunkBuilder b = new DirChunkBuilder(100);
    List<DirEntry> added = new ArrayList<>();
    for (int i = 0; ; i++) {
      DirEntry e = new DirEntry("name-" + i, DType.REG, i);
      if (!b.add(e)) {
        break;
      }
      added.add(e);
    }
    assertTrue(b.size() <= 100);
    assertTrue(b.size() > 100 - new DirEntry("name-10", 8, 10).encode().length);
    assertEquals(added, DirEntry.parseAll(b.toByteArray()));
    assertEquals(added.size(), b.count());
    assertFalse(b.add(new DirEntry("x".repeat(200), DType.REG, 0)));
    assertThrows(IllegalArgumentException.class, () -> new DirChunkBuilder(0));
  }

  @Test
  void nextOffsetFormatsAndParses() {
    assertEquals("42", new NextOffset(42, false).format());
    assertEquals("9223372036854775807 EOF", new NextOffset(Long.MAX_VALUE, true).format());
    assertEquals(new NextOffset(0, true), NextOffset.parse("0 EOF"));
    assertEquals(new NextOffset(-5, false), NextOffset.parse("-5"));
    assertThrows(Fs123FormatException.class, () -> NextOffset.parse(""));
    assertThrows(Fs123FormatException.class, () -> NextOffset.parse("12EOF"));
    assertThrows(Fs123FormatException.class, () -> NextOffset.parse("12 eof"));
    assertThrows(Fs123FormatException.class, () -> NextOffset.parse("99999999999999999999"));
  }
}
