package org.keepfs.fs123;

import java.nio.charset.StandardCharsets;

/**
 * The body of a successful {@code /a} reply: the stat line, {@code \n}, the decimal monotonic validator,
 * and no final newline.
 */
public record AttrReply(Attributes attributes, long validator) {

  public byte[] encode() {
    return (attributes.statLine() + "\n" + Long.toUnsignedString(validator)).getBytes(StandardCharsets.US_ASCII);
  }

  public static AttrReply parse(byte[] body) {
    String text = new String(body, StandardCharsets.US_ASCII);
    int nl = text.indexOf('\n');
    if (nl < 0) {
      throw new Fs123FormatException("/a body", text, "has no newline between the stat line and the validator");
    }
    String validator = text.substring(nl + 1);
    if (validator.indexOf('\n') >= 0) {
      throw new Fs123FormatException("/a body", text, "has more than two lines");
    }
    return new AttrReply(Attributes.parseStatLine(text.substring(0, nl)), Decimal.parseUnsigned("validator", validator));
  }
}
