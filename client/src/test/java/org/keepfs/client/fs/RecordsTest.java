package org.keepfs.client.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.keepfs.posix.Errno;
import org.keepfs.posix.ErrnoException;

/** The data types reject values a filesystem must never hand to a front end, and say which value. */
class RecordsTest {
  private static final Instant T = Instant.parse("2026-11-23T12:00:00Z");

  private static NodeAttributes file(long size) {
    return new NodeAttributes(7, NodeType.FILE, 0644, 1, size, 0, 0, T, T, T);
  }

  @Test
  void modeCombinesTypeAndPermissionBitsAndBlocksRoundUp() {
    assertEquals(0100644, file(0).mode());
    assertEquals(0, file(0).blocks());
    assertEquals(1, file(1).blocks());
    assertEquals(2, file(513).blocks());
    assertEquals(NodeType.SYMLINK, NodeType.ofMode(0120777));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NodeType.ofMode(0020644));
    assertTrue(e.getMessage().contains("020644"), e.getMessage());
  }

  @Test
  void impossibleAttributesAreRejectedByName() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> file(-1)).getMessage().contains("size"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> new NodeAttributes(0, NodeType.FILE, 0644, 1, 0, 0, 0, T, T, T)).getMessage().contains("inode"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> new NodeAttributes(3, NodeType.FILE, 0100644, 1, 0, 0, 0, T, T, T)).getMessage().contains("0100644"));
    assertThrows(IllegalArgumentException.class, () -> new Entry(file(0), Duration.ofSeconds(-1), Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> new NoEntry(Duration.ofMillis(-1)));
    assertThrows(IllegalArgumentException.class, () -> new FsStats(0, 1, 1, 1, 1, 1, 255));
  }

  @Test
  void directoryEntriesNeedARealNameAndAForwardOffset() {
    assertEquals("a", new DirEntry("a", 2, NodeType.FILE, 1).name());
    for (String bad : new String[] {"", ".", "..", "a/b", "nul\0"}) {
      assertThrows(IllegalArgumentException.class, () -> new DirEntry(bad, 2, NodeType.FILE, 1), bad);
    }
    assertThrows(IllegalArgumentException.class, () -> new DirEntry("a", 2, NodeType.FILE, 0));
  }

  @Test
  void namesFailWithTheErrnoAProgramExpects() throws ErrnoException {
    ErrnoException tooLong = assertThrows(ErrnoException.class, () -> Names.check("x".repeat(256)));
    assertEquals(Errno.ENAMETOOLONG, tooLong.errno());
    ErrnoException slash = assertThrows(ErrnoException.class, () -> Names.check("a/b"));
    assertEquals(Errno.EINVAL, slash.errno());
    assertEquals("é".repeat(127), Names.check("é".repeat(127)), "254 bytes of UTF-8 fit");
    assertThrows(ErrnoException.class, () -> Names.check("é".repeat(128)), "256 bytes of UTF-8 do not");
  }

  @Test
  void openFlagsTellWhetherTheyWrite() {
    assertEquals(false, OpenFlags.READ_ONLY.writes());
    assertEquals(true, new OpenFlags(OpenFlags.Access.READ, true, false, false, false).writes(), "O_TRUNC writes");
    assertEquals(true, new OpenFlags(OpenFlags.Access.READ_WRITE, false, false, false, false).writes());
  }
}
