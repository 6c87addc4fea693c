package org.keepfs.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.keepfs.locator.Locator;

/** Changing a tree: starting from an existing one, sharing what did not change. */
class TreeBuilderTest {
  private static final Locator A = Locator.parse("acbd18db4cc2f85cedef654fccc4a4d8+3");
  private static final Locator B = Locator.parse("37b51d194a7513e45b56f6524f2d51f2+3");

  private static String text(Directory tree) {
    return new String(Manifest.of(tree).text(), StandardCharsets.UTF_8);
  }

  @Test
  void removingTheLastFileOfASubdirectoryLeavesAnEmptyDirectory() {
    // keep-arvados.md 1.7: removing a file from a subdirectory leaves "./foo d41d8...+0 0:0:\056".
    Directory base = Manifest.parse("./foo " + A + " 0:3:bar\n").root();
    TreeBuilder b = TreeBuilder.from(base);
    assertTrue(b.remove("foo/bar"));
    assertEquals("./foo d41d8cd98f00b204e9800998ecf8427e+0 0:0:\\056\n", text(b.build()));
  }

  @Test
  void removingADirectoryRemovesEverythingBelowIt() {
    // keep-arvados.md 1.7: remove("a/b", recursive) on 0:10:a/b/c/d/efg.txt leaves "./a d41d8...+0 0:0:\056".
    Directory base = Manifest.parse(". 0cc175b9c0f1b6a831c399e269772661+10 0:10:a/b/c/d/efg.txt\n").root();
    TreeBuilder b = TreeBuilder.from(base);
    assertTrue(b.remove("a/b"));
    assertFalse(b.remove("a/b"), "already gone");
    assertFalse(b.remove("x/y"), "never there");
    assertEquals("./a d41d8cd98f00b204e9800998ecf8427e+0 0:0:\\056\n", text(b.build()));
    assertEquals("./a/b/c/d 0cc175b9c0f1b6a831c399e269772661+10 0:10:efg.txt\n", text(TreeBuilder.from(base).build()),
        "the base is unchanged");
  }

  @Test
  void unchangedDirectoriesAreSharedNotCopied() {
    Manifest base = Manifest.parse(". " + A + " 0:3:top\n./big " + A + " 0:3:x 0:3:y\n./other " + B + " 0:3:z\n");
    Directory big = (Directory) base.lookup("big").orElseThrow();
    Directory other = (Directory) base.lookup("other").orElseThrow();
    Directory changed = TreeBuilder.from(base.root())
        .appendToFile("other/new", List.of(new Segment(A, 0, 3)))
        .appendToFile("top", List.of(new Segment(B, 0, 3)))
        .build();
    assertSame(big, changed.resolve("big").orElseThrow());
    assertNotSame(other, changed.resolve("other").orElseThrow());
    assertEquals(". " + A + " " + B + " 0:6:top\n./big " + A + " 0:3:x 0:3:y\n./other " + A + " " + B + " 0:3:new 3:3:z\n",
        text(changed));
    assertEquals(3, ((File) base.lookup("top").orElseThrow()).size(), "the base tree did not change");
    assertTrue(TreeBuilder.from(base.root()).build().sameTreeAs(base.root()));
  }

  @Test
  void aDirectoryCanBeMovedByPuttingItElsewhere() {
    Manifest base = Manifest.parse("./src/lib " + A + " 0:3:x\n./dst " + B + " 0:3:y\n");
    Directory lib = (Directory) base.lookup("src/lib").orElseThrow();
    TreeBuilder b = TreeBuilder.from(base.root()).putDirectory("dst/lib", lib);
    assertTrue(b.remove("src/lib"));
    Directory moved = b.build();
    assertSame(lib, moved.resolve("dst/lib").orElseThrow());
    assertEquals("./dst " + B + " 0:3:y\n./dst/lib " + A + " 0:3:x\n./src d41d8cd98f00b204e9800998ecf8427e+0 0:0:\\056\n",
        text(moved));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TreeBuilder.from(base.root()).putDirectory("dst/y/z", lib));
    assertTrue(e.getMessage().contains("'y' is a file"), e.getMessage());
  }

  @Test
  void puttingAFileReplacesItsContent() {
    Manifest base = Manifest.parse(". " + A + " " + B + " 0:6:f 0:3:g\n");
    File f = (File) base.lookup("f").orElseThrow();
    Directory truncated = TreeBuilder.from(base.root())
        .putFile("f", f.segments(0, 4))
        .putFile("new/h", List.of(new Segment(B, 0, 3)))
        .build();
    assertEquals(". " + A + " " + B + " 0:4:f 0:3:g\n./new " + B + " 0:3:h\n", text(truncated));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TreeBuilder.from(truncated).putFile("new", List.of()));
    assertTrue(e.getMessage().contains("'new': it is a directory"), e.getMessage());
  }

  @Test
  void aFileCanReplaceADirectoryOnlyAfterItIsRemoved() {
    TreeBuilder b = TreeBuilder.from(Manifest.parse("./d " + A + " 0:3:x\n").root());
    assertThrows(IllegalArgumentException.class, () -> b.appendToFile("d", List.of()));
    assertTrue(b.remove("d"));
    b.appendToFile("d", List.of(new Segment(B, 1, 2)));
    assertEquals(". " + B + " 1:2:d\n", text(b.build()));
  }
}
