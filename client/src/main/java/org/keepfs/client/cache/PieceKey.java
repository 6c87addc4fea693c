package org.keepfs.client.cache;

import org.keepfs.locator.Locator;

/**
 * What the block cache stores under one name: the bytes {@code [offset, offset+length)} of the block
 * {@code hash+blockSize}. A whole block is the piece at offset 0 with the block's length, so a block
 * and its pieces share one naming rule. Hints never take part: they do not change the bytes.
 *
 * @param hash the block's MD5, 32 lower-case hex digits
 * @param blockSize the block's length
 * @param offset where the piece starts in the block
 * @param length the piece's length
 */
public record PieceKey(String hash, long blockSize, long offset, int length) {
  private static final char SIZE_SEP = '+';
  private static final char OFFSET_SEP = '@';
  private static final char LENGTH_SEP = ':';

  public PieceKey {
    if (!Locator.isHash(hash)) {
      throw new IllegalArgumentException("'" + hash + "' is not a block hash (32 lower-case hex digits)");
    }
    if (blockSize < 0 || blockSize > Locator.MAX_BLOCK_SIZE) {
      throw new IllegalArgumentException("block size " + blockSize + " is outside 0.." + Locator.MAX_BLOCK_SIZE);
    }
    if (offset < 0 || length < 0 || offset + length > blockSize) {
      throw new IllegalArgumentException("piece " + offset + "+" + length + " does not lie within block " + hash + "+" + blockSize);
    }
  }

  /** The whole block. */
  public static PieceKey wholeBlock(Locator locator) {
    return new PieceKey(locator.hash(), locator.size(), 0, Math.toIntExact(locator.size()));
  }

  /**
   * The {@code pieceSize}-aligned piece of {@code locator} that holds byte {@code position} (the last
   * piece of a block is shorter).
   */
  public static PieceKey aligned(Locator locator, long position, int pieceSize) {
    if (pieceSize <= 0) {
      throw new IllegalArgumentException("piece size must be positive, got " + pieceSize);
    }
    if (position < 0 || position >= locator.size()) {
      throw new IllegalArgumentException("position " + position + " is outside block " + locator.hashAndSize());
    }
    long start = position - position % pieceSize;
    return new PieceKey(locator.hash(), locator.size(), start, (int) Math.min(pieceSize, locator.size() - start));
  }

  public boolean isWholeBlock() {
    return offset == 0 && length == blockSize;
  }

  /** The entry's file name: {@code <hash>+<blockSize>@<offset>:<length>}. */
  String fileName() {
    return hash + SIZE_SEP + blockSize + OFFSET_SEP + offset + LENGTH_SEP + length;
  }

  /** The key a file name stands for, or null when the name is not one this cache writes. */
  static PieceKey parseFileName(String name) {
    try {
      int plus = name.indexOf(SIZE_SEP);
      int at = name.indexOf(OFFSET_SEP, plus + 1);
      int colon = name.indexOf(LENGTH_SEP, at + 1);
      if (plus != 32 || at < 0 || colon < 0) {
        return null;
      }
      PieceKey key = new PieceKey(name.substring(0, plus), Long.parseLong(name.substring(plus + 1, at)),
          Long.parseLong(name.substring(at + 1, colon)), Integer.parseInt(name.substring(colon + 1)));
      return key.fileName().equals(name) ? key : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  @Override
  public String toString() {
    return fileName();
  }
}
