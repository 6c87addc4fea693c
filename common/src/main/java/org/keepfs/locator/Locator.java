package org.keepfs.locator;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A Keep block locator: {@code md5hex+size(+Hint)*}.
 *
 * <p>The hash names the block's content; the size is its length in bytes; hints carry routing and
 * permission data that never change what the block is ({@code +A} signature, {@code +K} service,
 * {@code +R} remote cluster, and unknown hints that must be kept in order and otherwise ignored).
 *
 * @param hash 32 lower-case hex digits, the MD5 of the block
 * @param size the block's length in bytes
 * @param hints the hints without their leading {@code +}, in the order they were written
 */
public record Locator(String hash, long size, List<String> hints) {
  /** The MD5 of zero bytes: the one block that is never fetched. */
  public static final String EMPTY_HASH = "d41d8cd98f00b204e9800998ecf8427e";

  /** The locator of the empty block, which every empty stream names. */
  public static final Locator EMPTY_BLOCK = new Locator(EMPTY_HASH, 0, List.of());

  /** The largest block Keep stores: 64 MiB. */
  public static final int MAX_BLOCK_SIZE = 1 << 26;

  public Locator {
    if (!isHash(hash)) {
      throw new LocatorFormatException(hash, "the hash must be 32 lower-case hex digits");
    }
    if (size < 0) {
      throw new LocatorFormatException(hash + "+" + size, "the size must not be negative");
    }
    hints = List.copyOf(hints);
    for (String hint : hints) {
      if (!isHint(hint)) {
        throw new LocatorFormatException("+" + hint, "a hint is an upper-case letter followed by [-A-Za-z0-9@_]");
      }
    }
  }

  /** A locator without hints. */
  public static Locator of(String hash, long size) {
    return new Locator(hash, size, List.of());
  }

  /**
   * Parses {@code hash+size(+Hint)*}. The size is required: a bare hash, a hint before the size,
   * two sizes, a lower-case hint letter or a character outside the hint alphabet is rejected with a
   * message that names the offending token.
   */
  public static Locator parse(CharSequence text) {
    String s = text.toString();
    int firstPlus = s.indexOf('+');
    String hash = firstPlus < 0 ? s : s.substring(0, firstPlus);
    if (!isHash(hash)) {
      throw new LocatorFormatException(s, "'" + hash + "' is not 32 lower-case hex digits");
    }
    if (firstPlus < 0) {
      throw new LocatorFormatException(s, "the size is missing (expected " + hash + "+<size>)");
    }
    int sizeEnd = s.indexOf('+', firstPlus + 1);
    if (sizeEnd < 0) {
      sizeEnd = s.length();
    }
    String sizeToken = s.substring(firstPlus + 1, sizeEnd);
    long size = parseSize(s, sizeToken);
    List<String> hints = new ArrayList<>();
    int start = sizeEnd + 1;
    while (start <= s.length() && sizeEnd < s.length()) {
      int end = s.indexOf('+', start);
      if (end < 0) {
        end = s.length();
      }
      String hint = s.substring(start, end);
      if (hint.isEmpty()) {
        throw new LocatorFormatException(s, "empty hint ('++' or a trailing '+')");
      }
      if (!isHint(hint)) {
        throw new LocatorFormatException(
            s, "hint '+" + hint + "' must be an upper-case letter followed by [-A-Za-z0-9@_]");
      }
      hints.add(hint);
      if (end == s.length()) {
        break;
      }
      start = end + 1;
    }
    return new Locator(hash, size, hints);
  }

  private static long parseSize(String locator, String token) {
    if (token.isEmpty()) {
      throw new LocatorFormatException(locator, "the size is empty");
    }
    if (!Character.isDigit(token.charAt(0))) {
      throw new LocatorFormatException(locator, "'+" + token + "' stands where the size should be (a hint before the size?)");
    }
    if (token.length() > 18) {
      throw new LocatorFormatException(locator, "size '" + token + "' is too large");
    }
    long size = 0;
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c < '0' || c > '9') {
        throw new LocatorFormatException(locator, "size '" + token + "' is not a decimal number");
      }
      size = size * 10 + (c - '0');
    }
    return size;
  }

  /** True for exactly 32 lower-case hex digits. */
  public static boolean isHash(CharSequence s) {
    if (s == null || s.length() != 32) {
      return false;
    }
    for (int i = 0; i < 32; i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isHint(String hint) {
    if (hint.isEmpty() || hint.charAt(0) < 'A' || hint.charAt(0) > 'Z') {
      return false;
    }
    for (int i = 1; i < hint.length(); i++) {
      char c = hint.charAt(i);
      boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '-' || c == '@' || c == '_';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** The permission signature hint ({@code A<sig>@<expiry>}, without {@code +}), if any. */
  public Optional<String> signatureHint() {
    return hints.stream().filter(h -> h.charAt(0) == 'A').findFirst();
  }

  /** The service names of {@code +K} hints in the order written (the text after {@code K}). */
  public List<String> serviceHints() {
    return hints.stream().filter(h -> h.charAt(0) == 'K').map(h -> h.substring(1)).toList();
  }

  /** The remote-cluster signature hints ({@code R<cluster>-<sig>@<expiry>}, without {@code +}). */
  public List<String> remoteHints() {
    return hints.stream().filter(h -> h.charAt(0) == 'R').toList();
  }

  /** This locator as the portable data hash counts it: hash and size only. */
  public Locator withoutHints() {
    return hints.isEmpty() ? this : of(hash, size);
  }

  /** This locator without its {@code +A} signature, other hints kept in order. */
  public Locator withoutSignature() {
    return new Locator(hash, size, hints.stream().filter(h -> h.charAt(0) != 'A').toList());
  }

  /** This locator with {@code hint} (no leading {@code +}) appended. */
  public Locator withHint(String hint) {
    List<String> more = new ArrayList<>(hints);
    more.add(hint);
    return new Locator(hash, size, more);
  }

  /** True when this names the empty block, which is never stored or fetched. */
  public boolean isEmptyBlock() {
    return size == 0 && hash.equals(EMPTY_HASH);
  }

  /** {@code hash+size} with no hints. */
  public String hashAndSize() {
    return hash + "+" + size;
  }

  @Override
  public String toString() {
    if (hints.isEmpty()) {
      return hashAndSize();
    }
    StringBuilder sb = new StringBuilder(48 + hints.size() * 48).append(hash).append('+').append(size);
    for (String hint : hints) {
      sb.append('+').append(hint);
    }
    return sb.toString();
  }
}
