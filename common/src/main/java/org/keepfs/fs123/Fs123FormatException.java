package org.keepfs.fs123;

/** Text that does not follow the fs123 wire grammar; the message names the offending text and why. */
public final class Fs123FormatException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public Fs123FormatException(String what, String text, String reason) {
    super("invalid " + what + " '" + abbreviate(text) + "': " + reason);
  }

  private static String abbreviate(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "...";
  }
}
