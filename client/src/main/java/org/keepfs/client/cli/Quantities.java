package org.keepfs.client.cli;

import java.time.Duration;
import java.util.Locale;

/** Sizes ({@code 10G}, {@code 512M}, {@code 4096}) and durations ({@code 10d}, {@code 90m}, {@code 30s}, {@code 30}) on the command line. */
final class Quantities {
  private Quantities() {}

  static long bytes(String option, String text) {
    String t = text.trim().toUpperCase(Locale.ROOT);
    long unit = 1;
    if (t.endsWith("IB")) {
      t = t.substring(0, t.length() - 2);
    } else if (t.endsWith("B")) {
      t = t.substring(0, t.length() - 1);
    }
    if (!t.isEmpty()) {
      switch (t.charAt(t.length() - 1)) {
        case 'K' -> unit = 1L << 10;
        case 'M' -> unit = 1L << 20;
        case 'G' -> unit = 1L << 30;
        case 'T' -> unit = 1L << 40;
        default -> unit = 1;
      }
      if (unit != 1) {
        t = t.substring(0, t.length() - 1);
      }
    }
    try {
      long n = Long.parseLong(t);
      if (n < 0) {
        throw new NumberFormatException();
      }
      return Math.multiplyExact(n, unit);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException(option + " '" + text + "' is not a size: use bytes or a number with K, M, G or T (e.g. 10G)");
    }
  }

  static Duration duration(String option, String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    long unit = 1;
    if (!t.isEmpty() && Character.isLetter(t.charAt(t.length() - 1))) {
      unit = switch (t.charAt(t.length() - 1)) {
        case 's' -> 1;
        case 'm' -> 60;
        case 'h' -> 3600;
        case 'd' -> 86400;
        default -> -1;
      };
      t = t.substring(0, t.length() - 1);
    }
    try {
      long n = Long.parseLong(t);
      if (n < 0 || unit < 0) {
        throw new NumberFormatException();
      }
      return Duration.ofSeconds(Math.multiplyExact(n, unit));
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException(option + " '" + text + "' is not a duration: use seconds or a number with s, m, h or d (e.g. 10d)");
    }
  }
}
