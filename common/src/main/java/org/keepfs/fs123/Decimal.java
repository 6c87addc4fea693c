package org.keepfs.fs123;

/** Strict decimal fields as fs123 writes them: ASCII digits, an optional '-' where signed. */
final class Decimal {
  private Decimal() {}

  static long parseSigned(String what, String text) {
    if (text.isEmpty() || !(isDigits(text) || (text.charAt(0) == '-' && isDigits(text.substring(1))))) {
      throw new Fs123FormatException(what, text, "not a decimal integer");
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new Fs123FormatException(what, text, "out of range for a signed 64-bit integer");
    }
  }

  static long parseUnsigned(String what, String text) {
    if (!isDigits(text)) {
      throw new Fs123FormatException(what, text, "not an unsigned decimal integer");
    }
    try {
      return Long.parseUnsignedLong(text);
    } catch (NumberFormatException e) {
      throw new Fs123FormatException(what, text, "out of range for an unsigned 64-bit integer");
    }
  }

  static boolean isDigits(String text) {
    if (text.isEmpty()) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }
}
