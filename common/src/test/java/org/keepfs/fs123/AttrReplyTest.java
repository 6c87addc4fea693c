package org.keepfs.fs123;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AttrReplyTest {
  static final Attributes FILE = new Attributes(0100644, 1, 1000, 1000, 12345, 1700000000, 1700000001,
      1700000002, 424242, 123456789, 5, 6, 2049, 32, 4096, 0);

  @Test
  void statLineIsSixteenFieldsInWireOrder() {
    assertEquals("33188 1 1000 1000 12345 1700000000 1700000001 1700000002 424242 123456789 5 6 2049 32 4096 0",
        FILE.statLine());
  }

  @Test
  void bodyIsStatLineNewlineValidatorWithoutFinalNewline() {
    byte[] body = new AttrReply(FILE, 1700000000123456789L).encode();
    String text = new String(body, StandardCharsets.US_ASCII);
    assertTrue(text.endsWith("\n1700000000123456789"), text);
    assertEquals(new AttrReply(FILE, 1700000000123456789L), AttrReply.parse(body));
  }

  @Test
  void unsignedFieldsRoundTrip() {
    Attributes big = new Attributes(040755, 2, 0, 0, 4096, 1, 1, 1, -2L, 0, 0, 0, -1L, 0, 4096, 0);
    assertTrue(big.statLine().contains("18446744073709551614"));
    assertEquals(big, Attributes.parseStatLine(big.statLine()));
    assertTrue(big.isDirectory());
    assertFalse(big.isRegularFile());
  }

  @Test
  void fileTypeAndNanos() {
    assertTrue(FILE.isRegularFile());
    assertEquals(1700000000123456789L, FILE.mtimeNanos());
    assertEquals(DType.REG, DType.ofMode(FILE.mode()));
    assertEquals(DType.DIR, DType.ofMode(040755));
    assertEquals(DType.LNK, DType.ofMode(0120777));
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "1 2 3",
    "33188 1 1000 1000 12345 1700000000 1700000001 1700000002 424242 123456789 5 6 2049 32 4096 0 7",
    "33188 1 1000 1000 x 1700000000 1700000001 1700000002 424242 123456789 5 6 2049 32 4096 0",
    "33188  1000 1000 1 1700000000 1700000001 1700000002 424242 123456789 5 6 2049 32 4096 0"
  })
  void rejectsBadStatLines(String line) {
    assertThrows(Fs123FormatException.class, () -> Attributes.parseStatLine(line));
  }

  @Test
  void rejectsBodiesWithoutOrWithExtraLines() {
    String line = FILE.statLine();
    Fs123FormatException e = assertThrows(Fs123FormatException.class,
        () -> AttrReply.parse(line.getBytes(StandardCharsets.US_ASCII)));
    assertTrue(e.getMessage().contains("no newline"), e.getMessage());
    assertThrows(Fs123FormatException.class, () -> AttrReply.parse((line + "\n1\n").getBytes(StandardCharsets.US_ASCII)));
    assertThrows(Fs123FormatException.class, () -> AttrReply.parse((line + "\n-1").getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void statfsRoundTripsAndRejectsWrongFieldCounts() {
    StatfsReply s = new StatfsReply(4096, 4096, 1000, 500, 400, 100, 50, 50, 77, 1, 255);
    assertEquals("4096 4096 1000 500 400 100 50 50 77 1 255", new String(s.encode(), StandardCharsets.US_ASCII));
    assertEquals(s, StatfsReply.parse(s.encode()));
    assertThrows(Fs123FormatException.class, () -> StatfsReply.parse("1 2 3".getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void validatorIsClampedBelowRecentModifications() {
    long g = MonotonicValidator.DEFAULT_GRANULARITY_NANOS;
    assertEquals(1000, MonotonicValidator.of(1000, 10_000_000, g));
    assertEquals(10_000_000 - 2 * g, MonotonicValidator.of(10_000_000, 10_000_000, g));
    // A later change stamped with the same coarse mtime still gets a larger validator.
    long first = MonotonicValidator.of(5_000_000, 5_000_100, g);
    long later = MonotonicValidator.of(5_000_000, 6_000_000, g);
    assertTrue(later > first);
  }
}
