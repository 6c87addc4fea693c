package org.keepfs.manifest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.keepfs.locator.Locator;

class ManifestParserTest {
  private static final String E = "d41d8cd98f00b204e9800998ecf8427e+0";
  private static final String FOO = "acbd18db4cc2f85cedef654fccc4a4d8+3";
  private static final String BAR = "37b51d194a7513e45b56f6524f2d51f2+3";

  private static File file(Manifest m, String path) {
    return assertInstanceOf(File.class, m.lookup(path).orElseThrow(() -> new AssertionError("no " + path)));
  }

  private static Directory dir(Manifest m, String path) {
    return assertInstanceOf(Directory.class, m.lookup(path).orElseThrow(() -> new AssertionError("no " + path)));
  }

  @Test
  void unescapedColonsStayInTheName() {
    Manifest m = Manifest.parse(". " + FOO + " 0:3:sha256:d83:x.tar\n./foo:foo " + BAR + " 0:3:bar:bar\n");
    assertEquals(3, file(m, "sha256:d83:x.tar").size());
    assertEquals(3, file(m, "foo:foo/bar:bar").size());
  }

  @Test
  void emptyDirectoryMarkersMakeDirectoriesNotFiles() {
    Manifest m = Manifest.parse("./a " + E + " 0:0:\\056\n./b " + E + " 0:0:.\n./c " + E + " 0:0:d/. 0:0:. 0:0:\\056\n");
    assertTrue(dir(m, "a").isEmpty());
    assertTrue(dir(m, "b").isEmpty());
    assertTrue(dir(m, "c/d").isEmpty());
    assertEquals(0, m.root().fileCount());
    assertEquals(4, m.root().directoryCount());
  }

  @Test
  void leadingZerosAreAccepted() {
    Manifest m = Manifest.parse(". " + FOO + " 000000000000000000:0003:foo.txt\n");
    assertEquals(3, file(m, "foo.txt").size());
  }

  @Test
  void tokensForOneFileConcatenateInOrderAcrossLines() {
    Manifest m = Manifest.parse(". " + FOO + " " + BAR + " 3:3:f 0:2:f\n./d " + FOO + " 0:3:g\n. " + BAR + " 1:2:f\n");
    File f = file(m, "f");
    assertEquals(7, f.size());
    assertEquals(List.of(
        new Segment(Locator.parse(BAR), 0, 3),
        new Segment(Locator.parse(FOO), 0, 2),
        new Segment(Locator.parse(BAR), 1, 2)), f.segments());
  }

  @Test
  void aSegmentSpanningBlocksIsSplitPerBlock() {
    Manifest m = Manifest.parse(". " + FOO + " " + E + " " + BAR + " 2:3:f\n");
    assertEquals(List.of(new Segment(Locator.parse(FOO), 2, 1), new Segment(Locator.parse(BAR), 0, 2)),
        file(m, "f").segments());
  }

  @Test
  void aSlashInAFileNameMovesItIntoASubdirectory() {
    Manifest m = Manifest.parse(". " + FOO + " 0:3:a/b/c.txt\n");
    assertEquals(3, file(m, "a/b/c.txt").size());
    assertEquals(List.of("a"), m.root().names());
  }

  @Test
  void escapesAndDoubleBackslashDecode() {
    Manifest m = Manifest.parse(". " + E + " 0:0:a\\040b 0:0:c\\\\d 0:0:\\303\\251t\\303\\251 0:0:z\\134\n");
    // Sorted by UTF-8 bytes: "z" (0x7a) before "é" (0xc3 0xa9).
    assertEquals(List.of("a b", "c\\d", "z\\", "été"), m.root().names());
  }

  @Test
  void duplicateEmptyFilesAndOddNamesAreAccepted() {
    Manifest m = Manifest.parse(". " + E + " 0:0:... 0:0:foo 0:0:foo 0:0:- 0:0:* 0:0:. 0:0:\\056\n");
    assertEquals(List.of("*", "-", "...", "foo"), m.root().names());
  }

  @Test
  void escapedUtf8OfEveryLengthIsAccepted() {
    Manifest m = Manifest.parse(". " + E + " 0:0:\\302\\251 0:0:\\342\\202\\254 0:0:\\360\\237\\230\\200 0:0:\\364\\217\\277\\277\n");
    assertEquals(List.of("\u00a9", "\u20ac", "\ud83d\ude00", "\udbff\udfff"), m.root().names());
  }

  @Test
  void rawUtf8NamesAreAccepted() {
    Manifest m = Manifest.parse("./répertoire " + FOO + " 0:3:日本語.txt\n");
    assertEquals(3, file(m, "répertoire/日本語.txt").size());
  }

  @Test
  void aParsedManifestKeepsItsExactText() {
    String text = ". " + FOO + "+K@xyzzy 0003:0:b 0:3:a\n./d " + E + " 0:0:x\n";
    assertArrayEquals(text.getBytes(StandardCharsets.UTF_8), Manifest.parse(text).text());
    assertArrayEquals(text.getBytes(StandardCharsets.UTF_8), Manifest.parse(text.getBytes(StandardCharsets.UTF_8)).text());
  }

  @Test
  void theEmptyManifestIsEmpty() {
    Manifest m = Manifest.parse("");
    assertTrue(m.root().isEmpty());
    assertEquals(PortableDataHash.EMPTY, m.portableDataHash());
    assertEquals(0, Manifest.EMPTY.normalizedText().length);
  }

  static Stream<Arguments> brokenManifests() {
    return Stream.of(
        // text, line, token number, words the message must contain
        Arguments.of(". " + FOO + " 0:3:foo", 1, 0, "does not end with a newline"),
        Arguments.of(". " + FOO + " 0:3:foo\n\n", 2, 0, "empty"),
        Arguments.of("\n", 1, 0, "empty"),
        Arguments.of(". 0:3:foo\n", 1, 2, "no locator"),
        Arguments.of(".\n", 1, 1, "only a stream name"),
        Arguments.of(". x 0:0:foo\n", 1, 2, "expected a locator"),
        Arguments.of(". ACBD18DB4CC2F85CEDEF654FCCC4A4D8+3 0:3:foo\n", 1, 2, "expected a locator"),
        Arguments.of(". " + FOO + "\n", 1, 2, "no file token"),
        Arguments.of(". acbd18db4cc2f85cedef654fccc4a4d8 0:3:foo\n", 1, 2, "size is missing"),
        Arguments.of(". acbd18db4cc2f85cedef654fccc4a4d8+3+a 0:3:foo\n", 1, 2, "hint"),
        Arguments.of(".  " + FOO + " 0:3:foo\n", 1, 2, "two spaces"),
        Arguments.of(" . " + FOO + " 0:3:foo\n", 1, 1, "starts with a space"),
        Arguments.of(". " + FOO + " 0:3:foo \n", 1, 4, "ends with a space"),
        Arguments.of(".\t" + FOO + " 0:3:foo\n", 1, 1, "tab"),
        Arguments.of(". " + FOO + " 0:3:foo\tbar\n", 1, 3, "tab"),
        Arguments.of(". " + FOO + " 0:3:foo\r\n", 1, 3, "carriage return"),
        Arguments.of(". " + FOO + " 0:3:foo\n. " + FOO + " 0:3:../x\n", 2, 3, "'..'"),
        Arguments.of(". " + FOO + " 0:3:a/./x\n", 1, 3, "'.'"),
        Arguments.of(". " + FOO + " 0:3:a//x\n", 1, 3, "empty path component"),
        Arguments.of(". " + FOO + " 0:3:/x\n", 1, 3, "empty path component"),
        Arguments.of(". " + FOO + " 0:3:x/\n", 1, 3, "empty path component"),
        Arguments.of("./a/../b " + FOO + " 0:3:x\n", 1, 1, "'..'"),
        Arguments.of("./a/./b " + FOO + " 0:3:x\n", 1, 1, "'.'"),
        Arguments.of("./a//b " + FOO + " 0:3:x\n", 1, 1, "empty path component"),
        Arguments.of("./a/ " + FOO + " 0:3:x\n", 1, 1, "empty path component"),
        Arguments.of("./ " + FOO + " 0:3:x\n", 1, 1, "empty path component"),
        Arguments.of("foo " + FOO + " 0:3:x\n", 1, 1, "starts with './'"),
        Arguments.of("/a " + FOO + " 0:3:x\n", 1, 1, "starts with './'"),
        Arguments.of(". " + FOO + " 0:3:md5sum.txt\n./md5sum.txt " + BAR + " 0:3:x\n", 2, 1, "is a file"),
        Arguments.of("./a " + BAR + " 0:3:x\n. " + FOO + " 0:3:a\n", 2, 3, "is a directory"),
        Arguments.of(". " + FOO + " 0:3:a 0:3:a/b\n", 1, 4, "is a file"),
        Arguments.of(". " + FOO + " 0:3:a 0:0:a/.\n", 1, 4, "is a file"),
        Arguments.of(". " + FOO + " 1:3:foo\n", 1, 3, "past the end of the stream"),
        Arguments.of(". " + E + " 1:0:foo\n", 1, 3, "past the end of the stream"),
        Arguments.of(". d41d8cd98f00b204e9800998ecf8427e+1 0:1:.\n", 1, 3, "size 0"),
        Arguments.of("./d " + FOO + " 0:3:\\056\n", 1, 3, "size 0"),
        Arguments.of(". " + E + " 0:0:a\\400\n", 1, 3, "above \\377"),
        Arguments.of(". " + E + " 0:0:a\\777\n", 1, 3, "above \\377"),
        Arguments.of(". " + E + " 0:0:a\\x\n", 1, 3, "backslash"),
        Arguments.of(". " + E + " 0:0:a\\04\n", 1, 3, "backslash"),
        Arguments.of(". " + E + " 0:0:a\\\n", 1, 3, "backslash"),
        Arguments.of(". " + E + " 0:0:\\377\n", 1, 3, "not valid UTF-8"),
        Arguments.of(". " + E + " 0:0:\\303\n", 1, 3, "not valid UTF-8"),
        Arguments.of(". " + E + " 0:0:\\355\\240\\200\n", 1, 3, "not valid UTF-8"),
        Arguments.of("./\\300\\200 " + E + " 0:0:x\n", 1, 1, "not valid UTF-8"),
        Arguments.of(". " + E + " 0:0:\\364\\220\\200\\200\n", 1, 3, "not valid UTF-8"),
        Arguments.of(". " + E + " 0:0:\\340\\200\\200\n", 1, 3, "not valid UTF-8"),
        Arguments.of(". " + E + " 0:0:a\\200\n", 1, 3, "not valid UTF-8"),
        Arguments.of(". " + E + " 0:0:\n", 1, 3, "file name is empty"),
        Arguments.of(". " + E + " 0:0\n", 1, 3, "position:size:name"),
        Arguments.of(". " + E + " :0:x\n", 1, 3, "position:size:name"),
        Arguments.of(". " + E + " 0::x\n", 1, 3, "position:size:name"),
        Arguments.of(". " + E + " -1:0:x\n", 1, 3, "position:size:name"),
        Arguments.of(". " + E + " foo\n", 1, 3, "position:size:name"),
        Arguments.of(". " + E + " 0:0:x " + FOO + "\n", 1, 4, "after the file tokens"),
        Arguments.of(". " + FOO + " 0:9999999999999999999:x\n", 1, 3, "too large"),
        Arguments.of(". acbd18db4cc2f85cedef654fccc4a4d8+3000000000 0:3:x\n", 1, 2, "larger than 2 GiB"));
  }

  @ParameterizedTest(name = "[{index}] line {1} token {2}: {3}")
  @MethodSource("brokenManifests")
  void brokenManifestsAreRejectedNamingLineAndToken(String text, int line, int token, String words) {
    ManifestFormatException e = assertThrows(ManifestFormatException.class, () -> Manifest.parse(text));
    assertEquals(line, e.line(), e.getMessage());
    assertEquals(token, e.tokenNumber(), e.getMessage());
    assertTrue(e.getMessage().contains(words), e.getMessage());
    assertTrue(e.getMessage().startsWith("line " + line), e.getMessage());
    if (token > 0) {
      assertTrue(e.getMessage().contains("token " + token + " ('" + e.token()), e.getMessage());
    }
  }

  @Test
  void nonUtf8BytesInTheTextAreRejected() {
    byte[] text = (". " + E + " 0:0:xy\n").getBytes(StandardCharsets.US_ASCII);
    text[text.length - 2] = (byte) 0xff;
    ManifestFormatException e = assertThrows(ManifestFormatException.class, () -> Manifest.parse(text));
    assertTrue(e.getMessage().contains("not valid UTF-8"), e.getMessage());
  }

  @Test
  void anUnpairedSurrogateInAStringIsRejected() {
    ManifestFormatException e = assertThrows(ManifestFormatException.class,
        () -> Manifest.parse(". " + E + " 0:0:x\n. " + E + " 0:0:\uD800\n"));
    assertEquals(2, e.line(), e.getMessage());
  }

  @Test
  void aLongTokenIsShortenedInTheMessage() {
    String name = "x".repeat(5000);
    ManifestFormatException e = assertThrows(ManifestFormatException.class,
        () -> Manifest.parse(". " + E + " 0:1:" + name + "\n"));
    assertEquals("0:1:" + name, e.token());
    assertTrue(e.getMessage().length() < 400, e.getMessage());
  }
}
