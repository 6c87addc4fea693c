package org.keepfs.client.writable.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keepfs.gateway.collections.CollectionReply;

/**
 * Everyday tools writing into a real read-write mount (a separate {@code keepfs mount} process) of a
 * real gateway: after the commit, a fresh read-only mount must show exactly the tree the tool made,
 * byte for byte.
 */
class WritableMountToolsTest {
  /** The client module's own sources: a real tree of a few hundred files in nested directories. */
  private static final Path SOURCES = Path.of("src").toAbsolutePath();

  @TempDir Path dir;
  LiveMounts mounts;
  LiveGateway gateway;

  @BeforeEach
  void startGateway() throws Exception {
    mounts = LiveMounts.start(dir);
    gateway = mounts.gateway();
  }

  @AfterEach
  void stopAll() throws Exception {
    if (mounts != null) {
      mounts.close();
    }
  }

  MountProcess mountReadWrite(String collection, String... extra) throws Exception {
    return mounts.readWrite(collection, extra);
  }

  /** What a fresh read-only mount shows of the committed collection. */
  TreeMap<String, String> committed(String collection) throws Exception {
    return mounts.committed(collection);
  }

  /** Unmounts (which commits) and checks the process said it committed and exited cleanly. */
  static void unmountCleanly(MountProcess m) throws Exception {
    int status = m.unmount();
    assertEquals(0, status, "keepfs mount's exit status; its log:\n" + m.log());
  }

  @Test
  void cpDashRCopiesASourceTreeThatReadsBackByteForByte() throws Exception {
    MountProcess m = mountReadWrite("copied-sources");
    Shell.run(dir, "cp -r '" + SOURCES + "' '" + m.root().resolve("src") + "'");
    TreeMap<String, String> expected = TreeListing.of(SOURCES);
    assertTrue(expected.size() > 50, "the source tree is a real one: " + expected.size() + " entries");
    assertEquals(expected, TreeListing.of(m.root().resolve("src")), "through the writable mount, before the commit");
    assertTrue(m.dirty());
    unmountCleanly(m);
    TreeMap<String, String> after = committed("copied-sources");
    assertEquals(List.of("src"), after.keySet().stream().filter(k -> !k.contains("/")).toList());
    assertEquals(expected, subtree(after, "src"));
  }

  @Test
  void mvAndRmDashRGiveTheSameTreeAsOnALocalDisk() throws Exception {
    // The same script runs in a local directory and in the mount; the committed tree must equal the local result.
    String script = String.join(" && ",
        "cp -r '" + SOURCES + "' a",
        "mkdir -p b/c/d",
        "mv a/main b/c/d/moved-main",
        "mv a/test/java/org/keepfs/client/fs b/fs-dir",
        "mv b/c/d/moved-main/java/org/keepfs/client/cli/MountCommand.java b/renamed.java",
        "cp b/renamed.java b/will-be-replaced.java",
        "echo replaced > b/replacement",
        "mv b/replacement b/will-be-replaced.java",
        "rm -r a/test",
        "rm -r b/c/d/moved-main/java/org/keepfs/client/fuse",
        "mkdir a/empty-after-rm && touch a/empty-after-rm/x && rm a/empty-after-rm/x",
        "mv a a-renamed");
    Path local = Files.createDirectories(dir.resolve("local"));
    Shell.run(local, script);
    MountProcess m = mountReadWrite("moved");
    Shell.run(m.root(), script);
    TreeMap<String, String> expected = TreeListing.of(local);
    assertEquals(expected, TreeListing.of(m.root()), "through the writable mount");
    // A commit in between, then more renames and removals on top of committed files.
    m.commit();
    assertFalse(m.dirty(), ".arv/dirty after the commit");
    String more = "mv b/c b/c2 && rm -r b/fs-dir && mv b/renamed.java a-renamed/empty-after-rm/";
    Shell.run(local, more);
    Shell.run(m.root(), more);
    assertTrue(m.dirty());
    unmountCleanly(m);
    assertEquals(TreeListing.of(local), committed("moved"));
  }

  @Test
  void tarXOfAnArchiveWithNestedAndEmptyDirectories() throws Exception {
    Path source = Files.createDirectories(dir.resolve("tree"));
    Random random = new Random(11);
    for (int d = 0; d < 5; d++) {
      Path deep = Files.createDirectories(source.resolve("level-" + d).resolve("inner dir").resolve("deeper-ünï"));
      for (int f = 0; f < 8; f++) {
        byte[] bytes = new byte[f == 7 ? (3 << 20) + 17 : random.nextInt(20_000)];
        random.nextBytes(bytes);
        Files.write((f % 3 == 0 ? deep : deep.getParent()).resolve("file-" + d + "-" + f + ".dat"), bytes);
      }
      Files.createDirectories(source.resolve("level-" + d).resolve("empty-" + d));
    }
    Files.createDirectories(source.resolve("only-empty/nested/empty"));
    Files.write(source.resolve("zero-length"), new byte[0]);
    Path archive = dir.resolve("tree.tar");
    Shell.run(source, "tar cf '" + archive + "' .");
    MountProcess m = mountReadWrite("untarred");
    // As root, tar x also restores owners (chown), which must not fail.
    Shell.run(m.root(), "tar xf '" + archive + "'");
    TreeMap<String, String> expected = TreeListing.of(source);
    assertEquals(expected, TreeListing.of(m.root()));
    m.commit();
    CollectionReply head = gateway.collection("untarred").orElseThrow();
    assertEquals(head.pdh(), m.hash(), ".arv/hash names the head the commit made");
    assertEquals(1, head.version(), "the whole archive is one manifest update, not one per file");
    assertEquals(1, gateway.requests("PUT", "/collections/untarred").size());
    assertTrue(head.manifestText().contains("./only-empty/nested/empty d41d8cd98f00b204e9800998ecf8427e+0 0:0:\\056\n"),
        "an empty directory is kept with the \\056 marker:\n" + head.manifestText());
    unmountCleanly(m);
    assertEquals(1, gateway.collection("untarred").orElseThrow().version(), "nothing changed after the commit");
    assertEquals(expected, committed("untarred"));
  }

  @Test
  void rsyncDashAThenAnIncrementalRsyncWithDelete() throws Exception {
    Path source = Files.createDirectories(dir.resolve("rsync-source"));
    Shell.run(dir, "cp -r '" + SOURCES + "/main' '" + source + "/'");
    MountProcess m = mountReadWrite("rsynced");
    Shell.run(dir, "rsync -a '" + source + "/' '" + m.root().resolve("copy") + "/'");
    assertEquals(TreeListing.of(source), TreeListing.of(m.root().resolve("copy")));
    m.commit();
    // Change, add and remove files at the source; rsync sends the difference, writing temporary files it renames over the old ones.
    Shell.run(source, String.join(" && ",
        "f=$(find . -name '*.java' | sort | head -1) && echo '// changed' >> \"$f\"",
        "g=$(find . -name '*.java' | sort | tail -1) && rm \"$g\"",
        "mkdir -p added/dir && head -c 300000 /dev/urandom > added/dir/random.bin"));
    Shell.run(dir, "rsync -a --delete '" + source + "/' '" + m.root().resolve("copy") + "/'");
    assertEquals(TreeListing.of(source), TreeListing.of(m.root().resolve("copy")));
    unmountCleanly(m);
    TreeMap<String, String> after = committed("rsynced");
    assertEquals(TreeListing.of(source), subtree(after, "copy"));
    assertFalse(after.keySet().stream().anyMatch(k -> k.contains(".fuse_hidden")), "no hidden leftovers: " + after.keySet());
  }

  @Test
  void gitCloneIntoTheMountThenFsckAndStatusThere() throws Exception {
    Path repo = Files.createDirectories(dir.resolve("repo"));
    Shell.run(repo, String.join(" && ",
        "git init -q -b main .",
        "cp -r '" + SOURCES + "/main' code",
        "git add -A && git commit -q -m 'first'",
        "echo more >> code/more.txt && mkdir -p docs && echo '# docs' > docs/README.md",
        "git add -A && git commit -q -m 'second'",
        "git checkout -q -b side && echo side > side.txt && git add side.txt && git commit -q -m side && git checkout -q main"));
    MountProcess m = mountReadWrite("cloned");
    Path clone = m.root().resolve("clone");
    Shell.run(dir, "git clone -q '" + repo + "' '" + clone + "'");
    Shell.run(clone, "git fsck --full --strict");
    assertEquals("", Shell.run(clone, "git status --porcelain"), "a fresh clone has a clean working tree");
    assertEquals(Shell.run(repo, "git rev-parse main"), Shell.run(clone, "git rev-parse HEAD"));
    // Work in the clone: a commit there writes objects, the index and refs through the mount.
    Shell.run(clone, "echo local > local.txt && git add local.txt && git commit -q -m local && git gc -q");
    Shell.run(clone, "git fsck --full --strict");
    assertEquals("", Shell.run(clone, "git status --porcelain"));
    String head = Shell.run(clone, "git rev-parse HEAD");
    TreeMap<String, String> inMount = TreeListing.of(clone);
    unmountCleanly(m);
    try (ReadOnlyMount ro = ReadOnlyMount.open(gateway, dir.resolve("ro-git"))) {
      Path committedClone = ro.collection("cloned").resolve("clone");
      assertEquals(inMount, TreeListing.of(committedClone));
      // git only reads here: objects, refs and packs all came through the commit intact.
      Shell.run(dir, "git --git-dir='" + committedClone.resolve(".git") + "' fsck --full --strict --no-dangling");
      assertEquals(head, Shell.run(dir, "git --git-dir='" + committedClone.resolve(".git") + "' rev-parse HEAD"));
    }
  }

  @Test
  void extendedAttributesAreNotSupportedSoTheKernelStopsAskingBeforeEachWrite() throws Exception {
    MountProcess m = mountReadWrite("xattrs");
    Path f = m.root().resolve("f");
    Files.writeString(f, "data\n");
    // getfattr-style lookups fail with EOPNOTSUPP (the kernel's answer once the mount said ENOSYS), not ENODATA.
    var view = Files.getFileAttributeView(f, java.nio.file.attribute.UserDefinedFileAttributeView.class);
    java.nio.file.FileSystemException e = org.junit.jupiter.api.Assertions.assertThrows(
        java.nio.file.FileSystemException.class, () -> view.read("user.example", java.nio.ByteBuffer.allocate(16)));
    assertTrue(String.valueOf(e.getReason()).contains("Operation not supported"), e.toString());
    // Writes after that still work and are committed.
    Files.writeString(f, "more\n", java.nio.file.StandardOpenOption.APPEND);
    unmountCleanly(m);
    assertEquals("file 10 " + TreeListing.md5(writeTemp("data\nmore\n")), committed("xattrs").get("f"));
  }

  private Path writeTemp(String text) throws Exception {
    return Files.writeString(Files.createTempFile(dir, "expected", ".txt"), text);
  }

  /** The entries under {@code prefix/}, with the prefix taken off. */
  static TreeMap<String, String> subtree(TreeMap<String, String> tree, String prefix) {
    TreeMap<String, String> out = new TreeMap<>();
    tree.forEach((k, v) -> {
      if (k.startsWith(prefix + "/")) {
        out.put(k.substring(prefix.length() + 1), v);
      }
    });
    return out;
  }
}
