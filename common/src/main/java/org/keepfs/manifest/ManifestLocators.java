package org.keepfs.manifest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.keepfs.locator.Locator;

/**
 * The locator tokens of manifest text, found and changed without parsing the rest: listing them, and
 * rewriting their hints (signing a manifest for a reader, stripping signatures before storing it).
 * The {@code hash+size} of every locator and every other byte stay as they are, so the portable data
 * hash does not change.
 */
public final class ManifestLocators {
  private ManifestLocators() {}

  /** Computes the hints a locator token gets; {@code hints} are those it has, without {@code +}. */
  @FunctionalInterface
  public interface HintRewrite {
    List<String> hints(String hash, List<String> hints);
  }

  /** The locators of the text's locator tokens, in order (a block used by several streams appears each time). */
  public static List<Locator> locators(byte[] text) {
    List<Locator> out = new ArrayList<>();
    forEachToken(text, (from, end, hashAndSizeEnd) -> {
      if (hashAndSizeEnd < 0) {
        return;
      }
      out.add(Locator.parse(new String(text, from, end - from, StandardCharsets.ISO_8859_1)));
    });
    return out;
  }

  /** The text with every locator token's hints replaced by what {@code rewrite} returns for it. */
  public static byte[] rewriteHints(byte[] text, HintRewrite rewrite) {
    ByteSink out = new ByteSink(text.length + text.length / 4);
    int[] copied = {0};
    forEachToken(text, (from, end, hashAndSizeEnd) -> {
      if (hashAndSizeEnd < 0) {
        return;
      }
      List<String> hints = new ArrayList<>();
      for (int p = hashAndSizeEnd; p < end; ) {
        int next = p + 1;
        while (next < end && text[next] != '+') {
          next++;
        }
        hints.add(new String(text, p + 1, next - p - 1, StandardCharsets.ISO_8859_1));
        p = next;
      }
      String hash = new String(text, from, 32, StandardCharsets.ISO_8859_1);
      out.write(text, copied[0], hashAndSizeEnd);
      for (String hint : rewrite.hints(hash, List.copyOf(hints))) {
        out.write('+');
        out.writeAscii(hint);
      }
      copied[0] = end;
    });
    out.write(text, copied[0], text.length);
    return out.toByteArray();
  }

  /** The text without {@code +A} permission signatures (the form a collection is stored in). */
  public static byte[] withoutSignatures(byte[] text) {
    return rewriteHints(text, (hash, hints) -> hints.stream().filter(h -> h.charAt(0) != 'A').toList());
  }

  interface TokenVisitor {
    /** A token {@code [from, end)}; {@code hashAndSizeEnd} is where a locator's hash+size ends, or -1. */
    void token(int from, int end, int hashAndSizeEnd);
  }

  /** Visits every token of the text (separated by spaces and newlines). */
  static void forEachToken(byte[] text, TokenVisitor visitor) {
    int p = 0;
    while (p < text.length) {
      int end = p;
      while (end < text.length && text[end] != ' ' && text[end] != '\n') {
        end++;
      }
      if (end > p) {
        visitor.token(p, end, hashAndSizeEnd(text, p, end));
      }
      p = end + 1;
    }
  }

  /**
   * For a locator token {@code text[from, to)} ({@code hash+size(+hint)*}), where its hash and size end;
   * -1 for any other token (a stream name, a file token, a bare hash without size).
   */
  static int hashAndSizeEnd(byte[] text, int from, int to) {
    if (to - from < 34 || text[from + 32] != '+') {
      return -1;
    }
    for (int i = from; i < from + 32; i++) {
      byte c = text[i];
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return -1;
      }
    }
    int i = from + 33;
    while (i < to && text[i] >= '0' && text[i] <= '9') {
      i++;
    }
    if (i == from + 33 || (i < to && text[i] != '+')) {
      return -1;
    }
    return i;
  }
}
