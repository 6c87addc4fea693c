package org.keepfs.gateway.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keepfs.posix.Errno;
import org.keepfs.posix.ErrnoException;

class LinuxFilesTest {
  @TempDir Path dir;

  @Test
  void makedevPacksLikeGlibc() {
    assertEquals(0x0803, LinuxFiles.makedev(8, 3));
    assertEquals(0xfe00, LinuxFiles.makedev(254, 0));
    assertEquals((0x12345L & 0xfffff000L) << 32 | (0x345 << 8) | 0x67 | ((0x89a67L & 0xffffff00L) << 12),
        LinuxFiles.makedev(0x12345, 0x89a67));
  }

  @Test
  void statxMatchesJavaAndReadDirectoryListsTypes() throws Exception {
    Files.writeString(dir.resolve("f"), "12345");
    Files.createDirectory(dir.resolve("d"));
    Files.createSymbolicLink(dir.resolve("l"), Path.of("f"));
    int root = LinuxFiles.openDirectory(dir.toString());
    try {
      int fd = LinuxFiles.openBeneath(root, "f", LinuxFiles.O_PATH | LinuxFiles.O_NOFOLLOW);
      try {
        Statx sx = LinuxFiles.statx(fd, "f");
        assertEquals(5, sx.attributes().size());
        assertEquals(Files.getAttribute(dir.resolve("f"), "unix:ino"), sx.attributes().ino());
        assertEquals(((Number) Files.getAttribute(dir.resolve("f"), "unix:dev")).longValue(), sx.attributes().dev());
      } finally {
        LinuxFiles.close(fd);
      }
      int l = LinuxFiles.openBeneath(root, "l", LinuxFiles.O_PATH | LinuxFiles.O_NOFOLLOW);
      try {
        assertTrue(LinuxFiles.statx(l, "l").attributes().isSymlink());
        assertArrayEquals("f".getBytes(StandardCharsets.UTF_8), LinuxFiles.readlink(l, "l"));
      } finally {
        LinuxFiles.close(l);
      }
      Set<String> names = LinuxFiles.readDirectory(root, ".").stream()
          .map(e -> e.name() + ":" + e.dType()).collect(Collectors.toSet());
      assertEquals(Set.of(".:4", "..:4", "f:8", "d:4", "l:10"), names);
    } finally {
      LinuxFiles.close(root);
    }
  }

  @Test
  void statxEntryStatsOneEntryWithoutFollowingAndRefusesPaths() throws Exception {
    Files.writeString(dir.resolve("f"), "12345");
    Files.createDirectory(dir.resolve("d"));
    Files.createSymbolicLink(dir.resolve("l"), Path.of("d"));
    int root = LinuxFiles.openDirectory(dir.toString());
    try {
      Statx f = LinuxFiles.statxEntry(root, "f", "f");
      assertEquals(5, f.attributes().size());
      assertEquals(Files.getAttribute(dir.resolve("f"), "unix:ino"), f.attributes().ino());
      assertTrue(LinuxFiles.statxEntry(root, "l", "l").attributes().isSymlink(), "the link itself, not d");
      assertTrue(LinuxFiles.statxEntry(root, "d", "d").attributes().isDirectory());
      ErrnoException missing = assertThrows(ErrnoException.class, () -> LinuxFiles.statxEntry(root, "nope", "x/nope"));
      assertEquals(Errno.ENOENT, missing.errno());
      assertTrue(missing.getMessage().contains("x/nope"), missing.getMessage());
      for (String notAnEntry : new String[] {"", ".", "..", "d/f", "l/x", "/etc"}) {
        assertThrows(IllegalArgumentException.class, () -> LinuxFiles.statxEntry(root, notAnEntry, notAnEntry),
            notAnEntry);
      }
    } finally {
      LinuxFiles.close(root);
    }
  }

  @Test
  void openBeneathRefusesSymlinksAndEscapes() throws Exception {
    Files.createDirectory(dir.resolve("sub"));
    Files.createSymbolicLink(dir.resolve("link"), Path.of("sub"));
    int root = LinuxFiles.openDirectory(dir.resolve("sub").toString());
    try {
      assertEquals(Errno.EXDEV, assertThrows(ErrnoException.class,
          () -> LinuxFiles.openBeneath(root, "../link", LinuxFiles.O_PATH)).errno(), "cannot climb out");
      assertEquals(Errno.ENOENT, assertThrows(ErrnoException.class,
          () -> LinuxFiles.openBeneath(root, "missing", LinuxFiles.O_PATH)).errno());
    } finally {
      LinuxFiles.close(root);
    }
    int top = LinuxFiles.openDirectory(dir.toString());
    try {
      assertEquals(Errno.ELOOP, assertThrows(ErrnoException.class,
          () -> LinuxFiles.openBeneath(top, "link/x", LinuxFiles.O_PATH)).errno(), "no symlink on the way");
    } finally {
      LinuxFiles.close(top);
    }
  }

  @Test
  void preadFillsDirectAndHeapBuffersInPlaceAndStopsAtEndOfFile() throws Exception {
    byte[] content = new byte[300_000];
    new java.util.Random(7).nextBytes(content);
    Files.write(dir.resolve("data"), content);
    int root = LinuxFiles.openDirectory(dir.toString());
    int fd = LinuxFiles.openBeneath(root, "data", LinuxFiles.O_RDONLY);
    try {
      for (java.nio.ByteBuffer buf : new java.nio.ByteBuffer[] {
          java.nio.ByteBuffer.allocateDirect(200_000), java.nio.ByteBuffer.allocate(200_000)}) {
        buf.position(10).limit(10 + 131_072);
        assertEquals(131_072, LinuxFiles.pread(fd, buf, 5, "data"), "a full read, direct=" + buf.isDirect());
        assertEquals(10 + 131_072, buf.position(), "the position moves past what was read");
        byte[] got = new byte[131_072];
        buf.get(10, got);
        assertArrayEquals(java.util.Arrays.copyOfRange(content, 5, 5 + 131_072), got);

        buf.clear();
        assertEquals(1000, LinuxFiles.pread(fd, buf, content.length - 1000, "data"), "short at end of file");
        assertEquals(1000, buf.position());
        buf.clear();
        assertEquals(0, LinuxFiles.pread(fd, buf, content.length + 4096, "data"), "nothing past the end");
        assertEquals(0, buf.position());
      }
      assertEquals(Errno.EINVAL, assertThrows(ErrnoException.class,
          () -> LinuxFiles.pread(fd, java.nio.ByteBuffer.allocate(1), -1, "data")).errno());
    } finally {
      LinuxFiles.close(fd);
      LinuxFiles.close(root);
    }
    int dirFd = LinuxFiles.openDirectory(dir.toString());
    try {
      assertEquals(Errno.EISDIR, assertThrows(ErrnoException.class,
          () -> LinuxFiles.pread(dirFd, java.nio.ByteBuffer.allocateDirect(16), 0, "dir")).errno(),
          "a kernel error comes back as its errno");
    } finally {
      LinuxFiles.close(dirFd);
    }
  }

  @Test
  void writeBackStartsOnAFileAndIsDeclinedOnADirectory() throws Exception {
    Path f = dir.resolve("dirty");
    Files.write(f, new byte[1 << 20]);
    int fd = LinuxFiles.openForReading(f.toString());
    try {
      assertTrue(LinuxFiles.startWriteBack(fd, 0, 1 << 20), "sync_file_range accepts a regular file");
    } finally {
      LinuxFiles.close(fd);
    }
    assertEquals(Errno.ENOENT, assertThrows(ErrnoException.class,
        () -> LinuxFiles.openForReading(dir.resolve("absent").toString())).errno());
  }
}
