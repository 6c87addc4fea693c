package org.keepfs.client.write.merge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.keepfs.manifest.Directory;
import org.keepfs.manifest.Manifest;

/** Every rule of the merge, as pure functions over manifests. */
class ThreeWayMergeTest {
  static final Instant WHEN = Instant.parse("2026-11-23T14:05:09Z");
  static final String C = "~20261123-140509~conflict~";
  static final String FOO = "acbd18db4cc2f85cedef654fccc4a4d8+3";
  static final String BAR = "37b51d194a7513e45b56f6524f2d51f2+3";
  static final String BAZ = "73feffa4b7f6bb68e44cf984c85f6e88+3";
  static final String SIGNED_FOO = FOO + "+A89118b78732c33104a4d6231e8b5a5fa1e4301e3@7fffffff";

  static Directory tree(String manifest) {
    return Manifest.parse(manifest).root();
  }

  static String merge(String base, String ours, String theirs) {
    return text(ThreeWayMerge.merge(tree(base), tree(ours), tree(theirs), WHEN));
  }

  static String text(ThreeWayMerge.Result r) {
    return new String(Manifest.of(r.tree()).text(), StandardCharsets.UTF_8);
  }

  static String file(String name, String block) {
    return ". " + block + " 0:3:" + name + "\n";
  }

  @Test
  void conflictNameIsUtcTimestamped() {
    assertEquals("a/b.txt~20261123-140509~conflict~", ThreeWayMerge.conflictName("a/b.txt", WHEN));
  }

  @Test
  void onlyTheyChangedTakesTheirs() {
    assertEquals(file("f", BAR), merge(file("f", FOO), file("f", FOO), file("f", BAR)));
  }

  @Test
  void onlyWeChangedKeepsOurs() {
    assertEquals(file("f", BAR), merge(file("f", FOO), file("f", BAR), file("f", FOO)));
  }

  @Test
  void bothChangedTheSameWayIsNoConflict() {
    ThreeWayMerge.Result r = ThreeWayMerge.merge(tree(file("f", FOO)), tree(file("f", BAR)), tree(file("f", BAR)), WHEN);
    assertEquals(file("f", BAR), text(r));
    assertEquals(List.of(), r.conflicts());
  }

  @Test
  void bothChangedKeepsOursAndSavesTheirsUnderTheConflictName() {
    ThreeWayMerge.Result r = ThreeWayMerge.merge(tree(file("file1.txt", FOO)), tree(file("file1.txt", BAR)),
        tree(file("file1.txt", BAZ)), WHEN);
    assertEquals(". " + BAR + " " + BAZ + " 0:3:file1.txt 3:3:file1.txt" + C + "\n", text(r));
    assertEquals(List.of("file1.txt" + C), r.conflicts());
  }

  @Test
  void bothAddedTheSameNameWithDifferentContent() {
    assertEquals(". " + BAR + " " + BAZ + " 0:3:new 3:3:new" + C + "\n", merge("", file("new", BAR), file("new", BAZ)));
  }

  @Test
  void newFilesFromBothSidesAreAllKept() {
    assertEquals(". " + FOO + " " + BAR + " " + BAZ + " 0:3:a 3:3:b 6:3:c\n",
        merge(file("a", FOO), ". " + FOO + " " + BAR + " 0:3:a 3:3:b\n", ". " + FOO + " " + BAZ + " 0:3:a 3:3:c\n"));
  }

  @Test
  void theirDeleteOfAFileWeDidNotTouchIsTaken() {
    assertEquals(file("a", FOO), merge(". " + FOO + " " + BAR + " 0:3:a 3:3:b\n", ". " + FOO + " " + BAR + " 0:3:a 3:3:b\n",
        file("a", FOO)));
  }

  @Test
  void ourDeleteOfAFileTheyDidNotTouchIsKept() {
    assertEquals(file("a", FOO), merge(". " + FOO + " " + BAR + " 0:3:a 3:3:b\n", file("a", FOO),
        ". " + FOO + " " + BAR + " 0:3:a 3:3:b\n"));
  }

  @Test
  void theirDeleteOfAFileWeChangedIsIgnored() {
    assertEquals(file("f", BAR), merge(file("f", FOO), file("f", BAR), ""));
  }

  @Test
  void theirChangeToAFileWeDeletedLandsUnderTheConflictName() {
    assertEquals(file("f" + C, BAR), merge(file("f", FOO), "", file("f", BAR)));
  }

  @Test
  void aNewSignatureIsNoChange() {
    ThreeWayMerge.Result r = ThreeWayMerge.merge(tree(file("f", FOO)), tree(file("f", BAR)), tree(file("f", SIGNED_FOO)), WHEN);
    assertEquals(file("f", BAR), text(r));
    assertEquals(List.of(), r.conflicts());
  }

  @Test
  void emptyDirectoriesFromEitherSideSurvive() {
    assertEquals("./mine d41d8cd98f00b204e9800998ecf8427e+0 0:0:\\056\n./theirs d41d8cd98f00b204e9800998ecf8427e+0 0:0:\\056\n",
        merge("", "./mine d41d8cd98f00b204e9800998ecf8427e+0 0:0:\\056\n",
            "./theirs d41d8cd98f00b204e9800998ecf8427e+0 0:0:\\056\n"));
  }

  @Test
  void aFileTheyAddedInADirectoryWeRemovedKeepsTheDirectory() {
    String base = "./d d41d8cd98f00b204e9800998ecf8427e+0 0:0:\\056\n";
    assertEquals("./d " + FOO + " 0:3:x\n", merge(base, "", "./d " + FOO + " 0:3:x\n"));
  }

  @Test
  void ourFileAndTheirDirectoryOfTheSameName() {
    String theirs = "./p " + BAR + " 0:3:x\n";
    assertEquals(". " + FOO + " 0:3:p\n./p" + C + " " + BAR + " 0:3:x\n", merge("", file("p", FOO), theirs));
  }

  @Test
  void ourDirectoryAndTheirFileOfTheSameName() {
    assertEquals(". " + BAR + " 0:3:p" + C + "\n./p " + FOO + " 0:3:x\n", merge("", "./p " + FOO + " 0:3:x\n", file("p", BAR)));
  }

  @Test
  void changesInSubdirectoriesMergeByPath() {
    String base = "./a " + FOO + " 0:3:f\n./b " + FOO + " 0:3:g\n";
    String ours = "./a " + BAR + " 0:3:f\n./b " + FOO + " 0:3:g\n";
    String theirs = "./a " + FOO + " 0:3:f\n./b " + BAZ + " 0:3:g\n";
    assertEquals("./a " + BAR + " 0:3:f\n./b " + BAZ + " 0:3:g\n", merge(base, ours, theirs));
  }

  @Test
  void aTakenConflictNameGetsANumber() {
    String theirs = ". " + BAZ + " " + FOO + " 0:3:f 3:3:f" + C + "\n";
    String ours = ". " + BAR + " 0:3:f\n";
    // theirs added a file under the very name the conflict would take: their f goes to the next name
    assertEquals(". " + BAR + " " + FOO + " " + BAZ + " 0:3:f 3:3:f" + C + " 6:3:f" + C + "2\n",
        merge(file("f", FOO), ours, theirs));
  }
}
