package org.keepfs.fs123;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NetstringTest {
  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void encodesLengthColonPayloadComma() {
    assertArrayEquals(ascii("5:hello,"), Netstring.encode("hello"));
    assertArrayEquals(ascii("0:,"), Netstring.encode(""));
    assertArrayEquals(ascii("20:18446744073709551615,"), Netstring.encodeUnsigned(-1L));
    assertEquals(Netstring.MAX_UINT64_NETSTRING, Netstring.encodeUnsigned(-1L).length);
  }

  @Test
  void decodesAndReportsTheEnd() {
    byte[] data = ascii("3:abc,2:de,");
    Netstring.Decoded first = Netstring.decode(data, 0, data.length);
    assertArrayEquals(ascii("abc"), first.payload());
    assertEquals(6, first.end());
    Netstring.Decoded second = Netstring.decode(data, first.end(), data.length);
    assertArrayEquals(ascii("de"), second.payload());
    assertEquals(data.length, second.end());
  }

  @Test
  void decodesTheValidatorPrefixOfAFileBody() {
    ByteBuffer body = ByteBuffer.wrap(ascii("13:1700000000123,DATA"));
    assertEquals(1700000000123L, Netstring.decodeUnsigned(body));
    assertEquals("DATA", StandardCharsets.US_ASCII.decode(body).toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", ":abc,", "3abc,", "3:ab", "3:abc", "3:abcd", "03:abc,", "x:abc,", "99999999999:a,"})
  void rejectsMalformed(String text) {
    byte[] data = ascii(text);
    Fs123FormatException e = assertThrows(Fs123FormatException.class, () -> Netstring.decode(data, 0, data.length));
    assertTrue(e.getMessage().contains("netstring"), e.getMessage());
  }

  @Test
  void rejectsANonNumericValidator() {
    assertThrows(Fs123FormatException.class, () -> Netstring.decodeUnsigned(ByteBuffer.wrap(ascii("3:1a2,xx"))));
  }
}
