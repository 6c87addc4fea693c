package org.keepfs.fs123;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AttributedDirEntryTest {
  private static final Attributes FILE_STAT =
      new Attributes(0100644, 1, 1000, 1000, 64, 1700000000, 1700000001, 1700000002, 77, 5, 6, 7, 2049, 8, 4096, 0);
  private static final AttributedDirEntry FILE = new AttributedDirEntry(new DirEntry("a file\nwith newline", DType.REG, 9),
      Optional.of(new AttrReply(FILE_STAT, 1700000000000000005L)), CacheControl.maxAge(30).withStaleWhileRevalidate(5));
  private static final AttributedDirEntry GONE =
      new AttributedDirEntry(new DirEntry("gone", DType.UNKNOWN, 0), Optional.empty(), CacheControl.NONE);

  @Test
  void recordIsThePlainRecordFollowedByTheAttrBodyAndCacheControl() {
    String attr = new String(FILE.attributes().orElseThrow().encode(), StandardCharsets.US_ASCII);
    assertEquals("19:a file\nwith newline, 8 9 " + attr.length() + ":" + attr + ", 35:max-age=30,stale-while-revalidate=5,\n",
        new String(FILE.encode(), StandardCharsets.UTF_8));
    assertEquals("4:gone, 0 0 0:, 0:,\n", new String(GONE.encode(), StandardCharsets.UTF_8));
  }

  @Test
  void parseAllRoundTripsThroughAChunk() {
    DirChunkBuilder b = new DirChunkBuilder(4096);
    assertTrue(b.addEncoded(FILE.encode()));
    assertTrue(b.addEncoded(GONE.encode()));
    assertEquals(List.of(FILE, GONE), AttributedDirEntry.parseAll(b.toByteArray()));
  }

  @Test
  void badRecordsAreRejectedNamingWhatIsWrong() {
    String good = new String(FILE.encode(), StandardCharsets.UTF_8);
    Fs123FormatException noNewline = assertThrows(Fs123FormatException.class,
        () -> AttributedDirEntry.parseAll(good.substring(0, good.length() - 1).getBytes(StandardCharsets.UTF_8)));
    assertTrue(noNewline.getMessage().contains("newline"), noNewline.getMessage());
    Fs123FormatException plain = assertThrows(Fs123FormatException.class,
        () -> AttributedDirEntry.parseAll(new DirEntry("x", DType.REG, 1).encode()));
    assertTrue(plain.getMessage().contains("space after the cookie"), plain.getMessage());
    byte[] noMaxAge = "1:x, 8 1 5:1 2 3, 0:,\n".getBytes(StandardCharsets.US_ASCII);
    assertThrows(Fs123FormatException.class, () -> AttributedDirEntry.parseAll(noMaxAge));
    byte[] badType = "1:x, 99 1 0:, 0:,\n".getBytes(StandardCharsets.US_ASCII);
    assertThrows(Fs123FormatException.class, () -> AttributedDirEntry.parseAll(badType));
  }

  @Test
  void attributesWithoutMaxAgeCannotBeBuilt() {
    assertThrows(IllegalArgumentException.class, () -> new AttributedDirEntry(FILE.entry(), FILE.attributes(), CacheControl.NONE));
  }

  @Test
  void theQueryFieldIsParsedAmongCacheTagsAndFormattedLast() {
    Fs123Query.Dir q = new Fs123Query.Dir(128, true, 0, true);
    assertEquals("128;1;0;attrs", q.format());
    assertEquals(q, Fs123Request.parse("/fs123/7/2/d/data", "128;1;0;attrs").query());
    assertEquals(new Fs123Query.Dir(128, false, 5, true), Fs123Request.parse("/fs123/7/2/d/data", "128;0;5;17;attrs").query());
    assertEquals(new Fs123Query.Dir(128, false, 5, false), Fs123Request.parse("/fs123/7/2/d/data", "128;0;5;17").query());
  }
}
