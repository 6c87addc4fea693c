package org.keepfs.manifest;

/**
 * A manifest that does not follow the format. The message names the line (1-based), the token
 * (1-based position on the line, and its text) and what is wrong with it.
 */
public final class ManifestFormatException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private static final int MAX_TOKEN_CHARS_IN_MESSAGE = 120;

  private final int line;
  private final int tokenNumber;
  private final String token;

  /**
   * @param line the 1-based line number
   * @param tokenNumber the 1-based position of the token on its line, or 0 when the whole line is at fault
   * @param token the token's text (shortened in the message when long)
   * @param reason what is wrong, phrased to follow "line L, token T ('...'): "
   */
  public ManifestFormatException(int line, int tokenNumber, String token, String reason) {
    super(describe(line, tokenNumber, token) + reason);
    this.line = line;
    this.tokenNumber = tokenNumber;
    this.token = token;
  }

  private static String describe(int line, int tokenNumber, String token) {
    if (tokenNumber == 0) {
      return "line " + line + ": ";
    }
    String shown = token.length() > MAX_TOKEN_CHARS_IN_MESSAGE
        ? token.substring(0, MAX_TOKEN_CHARS_IN_MESSAGE) + "..."
        : token;
    return "line " + line + ", token " + tokenNumber + " ('" + shown + "'): ";
  }

  /** The 1-based line number. */
  public int line() {
    return line;
  }

  /** The 1-based position of the token on its line; 0 when the whole line is at fault. */
  public int tokenNumber() {
    return tokenNumber;
  }

  /** The text of the token at fault (empty when the whole line is at fault). */
  public String token() {
    return token;
  }
}
