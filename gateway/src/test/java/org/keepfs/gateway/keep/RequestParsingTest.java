package org.keepfs.gateway.keep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Paths, ranges and credentials as the handlers read them. */
class RequestParsingTest {
  static final String HASH = "acbd18db4cc2f85cedef654fccc4a4d8";

  @Test
  void blockPathsNameBlocksPiecesAndBareHashes() throws Exception {
    BlockPath whole = BlockPath.parse("/keep/" + HASH + "+3+K@zzzzz");
    assertEquals(0, whole.offset());
    assertEquals(3, whole.length());
    assertEquals("\"" + HASH + "\"", whole.etag());
    BlockPath piece = BlockPath.parse("/keep/" + HASH + "+3000000/2");
    assertEquals(2L * BlockPath.PIECE_SIZE, piece.offset());
    assertEquals(3000000 - 2 * BlockPath.PIECE_SIZE, piece.length());
    assertEquals("\"" + HASH + "-2\"", piece.etag());
    BlockPath bare = BlockPath.parse("/keep/" + HASH);
    assertEquals(false, bare.hasSize());
    assertEquals(64, BlockPath.pieceCount(64L << 20));
    assertEquals(1, BlockPath.pieceCount(1));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/keep/", "/keep/xyz", "/keep/" + HASH + "+", "/keep/" + HASH + "+3+", "/keep/" + HASH + "+3/",
      "/keep/" + HASH + "+3/-1", "/keep/" + HASH + "+3/1", "/keep/" + HASH + "/0", "/keep/" + HASH + "+67108865",
      "/keep/" + HASH + "+3/99999999"})
  void badBlockPathsSayWhatIsWrong(String path) {
    BlockPath.BadPathException e = assertThrows(BlockPath.BadPathException.class, () -> BlockPath.parse(path));
    assertTrue(e.getMessage().length() > 15, e.getMessage());
  }

  @Test
  void rangesFollowRfc9110() throws Exception {
    assertEquals(Optional.of(new ByteRange(10, 5)), ByteRange.parse("bytes=10-14", 100));
    assertEquals(Optional.of(new ByteRange(90, 10)), ByteRange.parse("bytes=90-", 100));
    assertEquals(Optional.of(new ByteRange(90, 10)), ByteRange.parse("bytes=90-1000", 100));
    assertEquals(Optional.of(new ByteRange(0, 100)), ByteRange.parse("bytes=-1000", 100));
    assertEquals(Optional.empty(), ByteRange.parse(null, 100));
    assertEquals(Optional.empty(), ByteRange.parse("bytes=0-1,5-6", 100));
    assertEquals(Optional.empty(), ByteRange.parse("items=0-1", 100));
    assertEquals(Optional.empty(), ByteRange.parse("bytes=a-b", 100));
    assertThrows(ByteRange.UnsatisfiableRangeException.class, () -> ByteRange.parse("bytes=100-", 100));
    assertThrows(ByteRange.UnsatisfiableRangeException.class, () -> ByteRange.parse("bytes=5-4", 100));
    assertThrows(ByteRange.UnsatisfiableRangeException.class, () -> ByteRange.parse("bytes=-0", 100));
    assertEquals("bytes 10-14/100", new ByteRange(10, 5).contentRange(100));
  }

  @Test
  void tokensComeFromBearerOrLegacyOAuth2() {
    assertEquals(Optional.of("abc"), KeepAccess.token("Bearer abc"));
    assertEquals(Optional.of("abc"), KeepAccess.token("bearer  abc "));
    assertEquals(Optional.of("v2/zzzzz-gj3su-0/secret"), KeepAccess.token("OAuth2 v2/zzzzz-gj3su-0/secret"));
    assertEquals(Optional.empty(), KeepAccess.token("Basic dXNlcjpwdw=="));
    assertEquals(Optional.empty(), KeepAccess.token("Bearer "));
    assertEquals(Optional.empty(), KeepAccess.token(null));
  }
}
