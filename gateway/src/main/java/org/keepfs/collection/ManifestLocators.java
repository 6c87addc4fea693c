package org.keepfs.collection;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.keepfs.locator.Locator;

/**
 * The locator tokens of manifest text, found and rewritten in place (to add or remove permission
 * signatures) without touching any other byte. Call only on text that {@code Manifest.parse}
 * accepted: on each line the tokens after the stream name and before the first file token (the
 * first one with a {@code :}) are locators.
 */
public final class ManifestLocators {
  private ManifestLocators() {}

  /** Every distinct locator written in the text, hints included, in order of appearance. */
  public static List<Locator> of(String text) {
    Set<Locator> found = new LinkedHashSet<>();
    rewrite(text, loc -> {
      found.add(loc);
      return loc;
    });
    return new ArrayList<>(found);
  }

  /** The text with each locator token replaced by {@code change} of it. */
  public static String rewrite(String text, UnaryOperator<Locator> change) {
    StringBuilder out = new StringBuilder(text.length() + text.length() / 2);
    int lineStart = 0;
    while (lineStart < text.length()) {
      int lineEnd = text.indexOf('\n', lineStart);
      if (lineEnd < 0) {
        lineEnd = text.length();
      }
      rewriteLine(text, lineStart, lineEnd, change, out);
      if (lineEnd < text.length()) {
        out.append('\n');
      }
      lineStart = lineEnd + 1;
    }
    return out.toString();
  }

  private static void rewriteLine(String text, int from, int to, UnaryOperator<Locator> change, StringBuilder out) {
    int tokenStart = from;
    boolean first = true;
    boolean inLocators = true;
    while (tokenStart <= to) {
      int space = text.indexOf(' ', tokenStart);
      int tokenEnd = space < 0 || space > to ? to : space;
      String token = text.substring(tokenStart, tokenEnd);
      if (!first) {
        out.append(' ');
      }
      if (!first && inLocators && token.indexOf(':') < 0) {
        out.append(change.apply(Locator.parse(token)));
      } else {
        if (!first) {
          inLocators = false;
        }
        out.append(token);
      }
      first = false;
      tokenStart = tokenEnd + 1;
    }
  }
}
