package org.keepfs.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.keepfs.locator.Locator;

/** Lookups, listings and byte ranges on the tree the gateway serves from, and building trees. */
class TreeModelTest {
  private static final Locator A = Locator.parse("acbd18db4cc2f85cedef654fccc4a4d8+3");
  private static final Locator B = Locator.parse("37b51d194a7513e45b56f6524f2d51f2+3");
  private static final Locator C = Locator.parse("73feffa4b7f6bb68e44cf984c85f6e88+3");

  // f = A[1..3) + B[0..3) + C[0..2): 7 bytes
  private static final Manifest M = Manifest.parse(
      ". " + A + " " + B + " " + C + " 1:7:f 0:0:empty\n./sub " + A + " 0:3:x 0:0:y/.\n");

  @Test
  void lookupFindsFilesAndDirectoriesByPath() {
    assertInstanceOf(File.class, M.lookup("f").orElseThrow());
    assertInstanceOf(File.class, M.lookup("/sub/x").orElseThrow());
    assertInstanceOf(Directory.class, M.lookup("sub/y").orElseThrow());
    assertSame(M.root(), M.lookup("").orElseThrow());
    assertEquals(Optional.empty(), M.lookup("nope"));
    assertEquals(Optional.empty(), M.lookup("f/x"), "a file has no entries");
    assertEquals(Optional.empty(), M.lookup("sub/.."));
  }

  @Test
  void listingsAreSortedAndTellKinds() {
    Directory root = M.root();
    assertEquals(List.of("empty", "f", "sub"), root.names());
    assertFalse(root.isDirectory(0));
    assertTrue(root.isDirectory(2));
    assertEquals(2, root.indexOf("sub"));
    assertEquals(-1, root.indexOf("g"));
    assertEquals("f", ((File) root.entry(1)).name());
    assertEquals(7, root.fileSize(1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> root.fileSize(2));
    assertTrue(e.getMessage().contains("'sub'"), e.getMessage());
    assertEquals(3, M.root().fileCount());
    assertEquals(2, M.root().directoryCount());
    assertEquals(10, M.root().totalBytes());
  }

  @Test
  void changingTheParsedArrayDoesNotChangeTheManifest() {
    byte[] text = (". " + A + " 0:3:f\n").getBytes(StandardCharsets.UTF_8);
    Manifest m = Manifest.parse(text);
    text[text.length - 2] = 'g';
    assertEquals(". " + A + " 0:3:f\n", new String(m.text(), StandardCharsets.UTF_8));
    m.text()[0] = 'x';
    assertEquals('.', m.text()[0], "text() hands out a copy");
  }

  @Test
  void segmentsForAByteRangeAreTrimmed() {
    File f = (File) M.lookup("f").orElseThrow();
    assertEquals(7, f.size());
    assertEquals(3, f.segmentCount());
    assertEquals(List.of(new Segment(A, 1, 2), new Segment(B, 0, 3), new Segment(C, 0, 2)), f.segments());
    assertEquals(List.of(new Segment(A, 2, 1), new Segment(B, 0, 1)), f.segments(1, 2));
    assertEquals(List.of(new Segment(B, 1, 2), new Segment(C, 0, 1)), f.segments(3, 3));
    assertEquals(List.of(new Segment(C, 1, 1)), f.segments(6, 100), "cut at the end of the file");
    assertEquals(List.of(), f.segments(7, 10));
    assertEquals(List.of(), f.segments(2, 0));
    assertEquals(List.of(), f.segments(1, 0), "an empty range inside a segment");
    assertEquals(List.of(new Segment(B, 2, 1), new Segment(C, 0, 2)), f.segments(4, Long.MAX_VALUE));
    // Every range of every length gives back exactly the bytes it asks for.
    for (long offset = 0; offset <= 8; offset++) {
      for (long length = 0; length <= 9; length++) {
        long expected = Math.max(0, Math.min(7, offset + length) - offset);
        assertEquals(expected, f.segments(offset, length).stream().mapToLong(Segment::length).sum(), offset + "+" + length);
      }
    }
    assertThrows(IllegalArgumentException.class, () -> f.segments(-1, 2));
    File empty = (File) M.lookup("empty").orElseThrow();
    assertEquals(0, empty.size());
    assertEquals(List.of(), empty.segments());
  }

  @Test
  void rangesOfAFileWithManySegmentsMatchAWalkFromTheStart() {
    TreeBuilder builder = new TreeBuilder();
    Random random = new Random(3);
    List<Segment> all = new ArrayList<>();
    for (int k = 0; k < 200; k++) {
      Locator block = List.of(A, B, C).get(k % 3);
      long offset = random.nextInt(3);
      all.add(new Segment(block, offset, 1 + random.nextInt((int) (3 - offset))));
    }
    File f = (File) Manifest.of(builder.appendToFile("big", all).build()).lookup("big").orElseThrow();
    assertEquals(200, f.segmentCount(), "neighbours are different blocks, so nothing merges");
    long size = f.size();
    for (int t = 0; t < 500; t++) {
      long offset = random.nextLong(size + 2);
      long length = random.nextLong(size + 2);
      assertEquals(walk(all, offset, length), f.segments(offset, length), offset + "+" + length);
    }
  }

  /** The segments of [offset, offset+length) found by walking every segment. */
  private static List<Segment> walk(List<Segment> all, long offset, long length) {
    List<Segment> out = new ArrayList<>();
    long position = 0;
    for (Segment s : all) {
      long from = Math.max(offset, position);
      long to = Math.min(offset + length, position + s.length());
      if (to > from) {
        out.add(new Segment(s.block(), s.offset() + from - position, to - from));
      }
      position += s.length();
    }
    return out;
  }

  @Test
  void aBuiltTreeHasNormalizedText() {
    Directory tree = new TreeBuilder()
        .appendToFile("b/c d", List.of(new Segment(B, 0, 3)))
        .appendToFile("a", List.of(new Segment(A, 0, 3), new Segment(B, 0, 1)))
        .appendToFile("a", List.of(new Segment(B, 1, 2)))
        .addDirectory("e/f")
        .appendToFile("zero", List.of())
        .build();
    Manifest m = Manifest.of(tree);
    assertFalse(m.hasSourceText());
    assertEquals(". " + A + " " + B + " 0:6:a 0:0:zero\n./b " + B + " 0:3:c\\040d\n./e/f d41d8cd98f00b204e9800998ecf8427e+0 0:0:\\056\n",
        new String(m.text(), StandardCharsets.UTF_8));
    assertEquals(PortableDataHash.ofText(m.text()), m.portableDataHash());
    assertEquals(1, ((File) m.lookup("a").orElseThrow()).segmentCount() - 1, "A then B[0..3), merged");
  }

  @Test
  void theBuilderRejectsConflictsAndBadPathsNamingThem() {
    TreeBuilder builder = new TreeBuilder().appendToFile("a/b", List.of());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> builder.addDirectory("a/b/c"));
    assertTrue(e.getMessage().contains("'a/b/c'") && e.getMessage().contains("'b' is a file"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> builder.appendToFile("a", List.of()));
    assertTrue(e.getMessage().contains("it is a directory"), e.getMessage());
    for (String bad : List.of("", "/a", "a/", "a//b", "a/./b", "../a", ".")) {
      e = assertThrows(IllegalArgumentException.class, () -> builder.appendToFile(bad, List.of()), bad);
      assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> new Segment(A, 2, 2));
    assertThrows(IllegalArgumentException.class, () -> new Segment(A, 0, 0));
  }

  @Test
  void aBuiltTreeDoesNotChangeWhenTheBuilderGoesOn() {
    TreeBuilder builder = new TreeBuilder().appendToFile("a", List.of(new Segment(A, 0, 3)));
    Directory first = builder.build();
    builder.appendToFile("a", List.of(new Segment(B, 0, 3))).appendToFile("b", List.of());
    assertEquals(3, ((File) first.resolve("a").orElseThrow()).size());
    assertEquals(1, first.size());
    assertEquals(6, ((File) builder.build().resolve("a").orElseThrow()).size());
  }

  @Test
  void sameTreeComparesContentNotText() {
    Manifest one = Manifest.parse(". " + A + " " + B + " 0:6:f\n");
    Manifest two = Manifest.parse(". " + A + " 0:3:f\n. " + B + " 0:3:f\n");
    Manifest other = Manifest.parse(". " + A + " " + C + " 0:6:f\n");
    assertTrue(one.sameTreeAs(two));
    assertFalse(one.sameTreeAs(other));
    assertFalse(one.portableDataHash().equals(two.portableDataHash()), "the stored texts differ");
    assertEquals(PortableDataHash.ofNormalized(one), PortableDataHash.ofNormalized(two));
  }

  @Test
  void portableDataHashParsesAndRejectsBadText() {
    PortableDataHash pdh = PortableDataHash.parse("1f4b0bc7583c2a7f9102c395f4ffc5e3+45");
    assertEquals("1f4b0bc7583c2a7f9102c395f4ffc5e3", pdh.hash());
    assertEquals(45, pdh.size());
    for (String bad : List.of("1f4b0bc7583c2a7f9102c395f4ffc5e3", "1f4b0bc7583c2a7f9102c395f4ffc5e3+", "1F4B0BC7583C2A7F9102C395F4FFC5E3+45",
        "1f4b0bc7583c2a7f9102c395f4ffc5e3+4x", "abc+1", "1f4b0bc7583c2a7f9102c395f4ffc5e3+45+K@x")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PortableDataHash.parse(bad));
      assertTrue(e.getMessage().contains(bad), e.getMessage());
    }
  }

  @Test
  void portableDataHashOfTextStripsHintsButKeepsBareHashesAndOtherBytes() {
    String signed = ". acbd18db4cc2f85cedef654fccc4a4d8+3+Aabc@123+K@x 0:3:foo\n";
    assertEquals("1f4b0bc7583c2a7f9102c395f4ffc5e3+45", PortableDataHash.ofText(signed).toString());
    String bare = ". acbd18db4cc2f85cedef654fccc4a4d8 0:3:foo\n";
    assertEquals(PortableDataHash.ofText(bare.getBytes(StandardCharsets.UTF_8)), PortableDataHash.ofText(bare));
    assertEquals(bare.length(), PortableDataHash.ofText(bare).size(), "a bare hash stays bare");
    assertEquals(43, PortableDataHash.ofText("x:y:acbd18db4cc2f85cedef654fccc4a4d8+3+K@x\n").size(),
        "a file name that looks like a locator is not a locator token");
  }
}
