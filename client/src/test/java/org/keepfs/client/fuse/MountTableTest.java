package org.keepfs.client.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class MountTableTest {
  @Test
  void parsesFuseLinesWithOptionalFieldsAndEscapes() {
    String text = """
        22 1 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw
        120 29 0:52 / /tmp/my\\040mount\\134x rw,nosuid,nodev,relatime shared:65 master:3 - fuse.keepfs http://gw:8080/ rw,user_id=0,group_id=0
        """;
    List<MountInfo> mounts = MountTable.parse(text);
    assertEquals(2, mounts.size());
    assertEquals(new MountInfo(Path.of("/proc"), "proc", "proc"), mounts.get(0));
    MountInfo fuse = mounts.get(1);
    assertEquals(Path.of("/tmp/my mount\\x"), fuse.mountPoint());
    assertEquals("fuse.keepfs", fuse.fsType());
    assertEquals("http://gw:8080/", fuse.source());
    assertTrue(fuse.isFuse());
    assertFalse(mounts.get(0).isFuse());
  }

  @Test
  void aLineWithoutTheSeparatorIsRejectedWithTheLine() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MountTable.parse("1 2 3:4 / /x rw\n"));
    assertTrue(e.getMessage().contains("/x rw"), e.getMessage());
  }

  @Test
  void unescapeLeavesIncompleteEscapesAlone() {
    assertEquals("a\\04", MountTable.unescape("a\\04"));
    assertEquals("tab\there", MountTable.unescape("tab\\011here"));
  }

  @Test
  void theRootFilesystemIsFoundInTheLiveTable() throws Exception {
    assertTrue(MountTable.find(Path.of("/")).isPresent());
  }

  @Test
  void canonicalResolvesLinksInTheParentsAndAtTheEnd(@org.junit.jupiter.api.io.TempDir Path temp) throws Exception {
    Path real = java.nio.file.Files.createDirectories(temp.resolve("a/real"));
    Path dirLink = java.nio.file.Files.createSymbolicLink(temp.resolve("dirlink"), temp.resolve("a"));
    Path lastLink = java.nio.file.Files.createSymbolicLink(temp.resolve("a/last"), Path.of("real"));
    assertEquals(real.toRealPath(), MountTable.canonical(dirLink.resolve("real")));
    assertEquals(real.toRealPath(), MountTable.canonical(dirLink.resolve("last")));
    assertEquals(real.toRealPath(), MountTable.canonical(lastLink));
    assertEquals(temp.resolve("missing/x").toAbsolutePath().normalize(), MountTable.canonical(temp.resolve("missing/x")),
        "a path whose parent does not exist is only normalized");
  }
}
