package org.keepfs.gateway.keep;

import java.util.OptionalInt;
import org.keepfs.locator.Locator;
import org.keepfs.locator.LocatorFormatException;

/**
 * What a path under {@code /keep/} names: a whole block ({@code /keep/<locator>}), one aligned piece
 * of it ({@code /keep/<locator>/<n>}, bytes {@code [n * PIECE_SIZE, (n + 1) * PIECE_SIZE)}), or, for
 * PUT, a bare hash ({@code /keep/<md5>}).
 *
 * @param hash the 32-hex hash the path starts with
 * @param locator the parsed locator; null when the path carries only a hash
 * @param piece the piece number, when the path names one
 */
public record BlockPath(String hash, Locator locator, OptionalInt piece) {
  /** The prefix blocks are served under. */
  public static final String PREFIX = "/keep/";

  /** Pieces are 1 MiB: the read size of the client and a good object size for proxies. */
  public static final int PIECE_SIZE = 1 << 20;

  /** Longer locators are refused before parsing; real ones are well under 1 KiB. */
  public static final int MAX_LOCATOR_LENGTH = 2048;

  /** Parses the path (starting with {@link #PREFIX}); bad input gets a message naming what was wrong. */
  public static BlockPath parse(String path) throws BadPathException {
    if (!path.startsWith(PREFIX)) {
      throw new BadPathException("block paths start with " + PREFIX + ", not " + path);
    }
    String rest = path.substring(PREFIX.length());
    if (rest.length() > MAX_LOCATOR_LENGTH + 12) {
      throw new BadPathException("the locator is " + rest.length() + " characters long; at most "
          + MAX_LOCATOR_LENGTH + " are accepted");
    }
    int slash = rest.indexOf('/');
    String locatorText = slash < 0 ? rest : rest.substring(0, slash);
    if (locatorText.length() > MAX_LOCATOR_LENGTH) {
      throw new BadPathException("the locator is " + locatorText.length() + " characters long; at most "
          + MAX_LOCATOR_LENGTH + " are accepted");
    }
    OptionalInt piece = OptionalInt.empty();
    if (slash >= 0) {
      piece = OptionalInt.of(parsePiece(rest.substring(slash + 1)));
    }
    if (Locator.isHash(locatorText)) {
      if (piece.isPresent()) {
        throw new BadPathException("a piece needs the block's size: use /keep/<hash>+<size>/<n>");
      }
      return new BlockPath(locatorText, null, piece);
    }
    Locator locator;
    try {
      locator = Locator.parse(locatorText);
    } catch (LocatorFormatException e) {
      throw new BadPathException("malformed locator: " + e.getMessage());
    }
    if (locator.size() > Locator.MAX_BLOCK_SIZE) {
      throw new BadPathException("locator " + locator.hashAndSize() + " names a block larger than "
          + Locator.MAX_BLOCK_SIZE + " bytes");
    }
    if (piece.isPresent() && (long) piece.getAsInt() * PIECE_SIZE >= Math.max(locator.size(), 1)) {
      throw new BadPathException("piece " + piece.getAsInt() + " is past the end of " + locator.hashAndSize()
          + ", which has " + pieceCount(locator.size()) + " pieces of " + PIECE_SIZE + " bytes");
    }
    return new BlockPath(locator.hash(), locator, piece);
  }

  private static int parsePiece(String text) throws BadPathException {
    if (text.isEmpty() || text.length() > 6 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new BadPathException("'" + text + "' after the locator is not a piece number");
    }
    return Integer.parseInt(text);
  }

  /** How many pieces a block of this size has. */
  public static int pieceCount(long blockSize) {
    return (int) ((blockSize + PIECE_SIZE - 1) / PIECE_SIZE);
  }

  /** True when the path carries a size (a full locator). */
  public boolean hasSize() {
    return locator != null;
  }

  /** Offset of the named bytes in the block. */
  public long offset() {
    return piece.isPresent() ? (long) piece.getAsInt() * PIECE_SIZE : 0;
  }

  /** Length of the named bytes. */
  public int length() {
    if (piece.isEmpty()) {
      return (int) locator.size();
    }
    return (int) Math.min(PIECE_SIZE, locator.size() - offset());
  }

  /** A strong validator: the hash names the bytes, and a piece is named by hash and number. */
  public String etag() {
    return piece.isPresent() ? "\"" + hash + "-" + piece.getAsInt() + "\"" : "\"" + hash + "\"";
  }

  /** A path that cannot name a block; the message says why. */
  public static final class BadPathException extends Exception {
    private static final long serialVersionUID = 1L;

    public BadPathException(String message) {
      super(message);
    }
  }
}
