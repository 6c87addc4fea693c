package org.keepfs.pieces;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.keepfs.locator.Locator;

class PieceDigestsTest {
  static final String A = "0123456789abcdef0123456789abcdef";
  static final String B = "fedcba9876543210fedcba9876543210";
  static final Locator TWO_PIECES = Locator.of("d41d8cd98f00b204e9800998ecf8427f", PieceDigests.PIECE_SIZE + 5);

  @Test
  void countsAndLengthsFollowTheBlockSize() {
    assertEquals(0, PieceDigests.pieceCount(0));
    assertEquals(1, PieceDigests.pieceCount(1));
    assertEquals(1, PieceDigests.pieceCount(PieceDigests.PIECE_SIZE));
    assertEquals(64, PieceDigests.pieceCount(Locator.MAX_BLOCK_SIZE));
    assertEquals(5, PieceDigests.pieceLength(TWO_PIECES.size(), 1));
    assertEquals(PieceDigests.PIECE_SIZE, PieceDigests.pieceLength(TWO_PIECES.size(), 0));
  }

  @Test
  void encodesOneLinePerPieceAndParsesBack() {
    PieceDigests d = new PieceDigests(TWO_PIECES, List.of(A, B));
    assertEquals(A + "\n" + B + "\n", new String(d.encode(), StandardCharsets.US_ASCII));
    assertEquals(d, PieceDigests.parse(TWO_PIECES, d.encode()));
    assertEquals(B, d.md5(1));
  }

  @Test
  void badListsAreRejectedNamingWhatIsWrong() {
    IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
        () -> PieceDigests.parse(TWO_PIECES, (A + "\n").getBytes(StandardCharsets.US_ASCII)));
    assertTrue(count.getMessage().contains("list 1 pieces") && count.getMessage().contains("has 2"), count.getMessage());
    IllegalArgumentException notHex = assertThrows(IllegalArgumentException.class,
        () -> PieceDigests.parse(TWO_PIECES, (A + "\nnot an md5\n").getBytes(StandardCharsets.US_ASCII)));
    assertTrue(notHex.getMessage().contains("line 2"), notHex.getMessage());
    IllegalArgumentException truncated = assertThrows(IllegalArgumentException.class,
        () -> PieceDigests.parse(TWO_PIECES, (A + "\n" + B).getBytes(StandardCharsets.US_ASCII)));
    assertTrue(truncated.getMessage().contains("newline"), truncated.getMessage());
  }
}
