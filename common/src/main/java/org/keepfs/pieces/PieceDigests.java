package org.keepfs.pieces;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.keepfs.locator.Locator;

/**
 * The MD5 of every {@link #PIECE_SIZE} piece of one block, as a gateway serves it at {@code
 * /keep/<locator>/pieces}: one line per piece, in order, each 32 lower-case hex digits and a newline.
 * The gateway computes the list from bytes it has checked against the block's own hash, so a reader
 * that checks a piece against the list gets bytes of the block the locator names.
 *
 * @param block the block (hash and size; hints play no part)
 * @param md5s the pieces' MD5s, {@link #pieceCount} of them
 */
public record PieceDigests(Locator block, List<String> md5s) {
  /** Pieces are 1 MiB: the read size of the client and a good object size for proxies. */
  public static final int PIECE_SIZE = 1 << 20;

  /** What follows a full locator in the URL of a block's piece digests. */
  public static final String URL_SUFFIX = "/pieces";

  public PieceDigests {
    Objects.requireNonNull(block, "block");
    md5s = List.copyOf(md5s);
    if (md5s.size() != pieceCount(block.size())) {
      throw new IllegalArgumentException(block.hashAndSize() + " has " + pieceCount(block.size()) + " pieces, not " + md5s.size());
    }
    for (String m : md5s) {
      if (!Locator.isHash(m)) {
        throw new IllegalArgumentException("'" + m + "' is not an MD5 (32 lower-case hex digits)");
      }
    }
  }

  /** How many pieces a block of this size has (0 for the empty block). */
  public static int pieceCount(long blockSize) {
    return (int) ((blockSize + PIECE_SIZE - 1) / PIECE_SIZE);
  }

  /** The length of piece {@code index} of a block of {@code blockSize} bytes (the last may be short). */
  public static int pieceLength(long blockSize, int index) {
    return (int) Math.min(PIECE_SIZE, blockSize - (long) index * PIECE_SIZE);
  }

  public String md5(int index) {
    return md5s.get(index);
  }

  public byte[] encode() {
    StringBuilder b = new StringBuilder(md5s.size() * 33);
    for (String m : md5s) {
      b.append(m).append('\n');
    }
    return b.toString().getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * Parses a digest list for {@code block}.
   *
   * @throws IllegalArgumentException naming what is wrong: a line that is not an MD5, a missing final
   *     newline, or the wrong number of lines for the block's size
   */
  public static PieceDigests parse(Locator block, byte[] body) {
    String text = new String(body, StandardCharsets.US_ASCII);
    if (!text.isEmpty() && !text.endsWith("\n")) {
      throw new IllegalArgumentException("the piece digests of " + block.hashAndSize() + " do not end with a newline");
    }
    List<String> md5s = new ArrayList<>();
    int start = 0;
    while (start < text.length()) {
      int nl = text.indexOf('\n', start);
      String line = text.substring(start, nl);
      if (!Locator.isHash(line)) {
        throw new IllegalArgumentException("line " + (md5s.size() + 1) + " of the piece digests of " + block.hashAndSize()
            + " is not an MD5: '" + (line.length() > 40 ? line.substring(0, 40) + "..." : line) + "'");
      }
      md5s.add(line);
      start = nl + 1;
    }
    if (md5s.size() != pieceCount(block.size())) {
      throw new IllegalArgumentException("the piece digests of " + block.hashAndSize() + " list " + md5s.size()
          + " pieces; a block of that size has " + pieceCount(block.size()));
    }
    return new PieceDigests(Locator.of(block.hash(), block.size()), md5s);
  }
}
