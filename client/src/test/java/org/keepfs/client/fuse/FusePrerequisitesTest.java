package org.keepfs.client.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FusePrerequisitesTest {
  @TempDir Path temp;

  @Test
  void anEmptyMachineIsToldWhatToInstall() {
    List<String> problems = FusePrerequisites.missing(temp.resolve("dev/fuse"), List.of(temp.toString()), temp.toString());
    assertEquals(3, problems.size(), problems.toString());
    assertTrue(problems.get(0).contains("modprobe fuse"), problems.get(0));
    assertTrue(problems.get(1).contains("apt-get install libfuse2"), problems.get(1));
    assertTrue(problems.get(2).contains("apt-get install fuse3"), problems.get(2));
  }

  @Test
  void nothingIsMissingWhenTheDeviceLibraryAndCommandAreThere() throws Exception {
    Path device = Files.createFile(temp.resolve("fuse"));
    Path lib = Files.createDirectories(temp.resolve("lib"));
    Files.createFile(lib.resolve("libfuse.so.2"));
    Path bin = Files.createDirectories(temp.resolve("bin"));
    Files.createFile(bin.resolve("fusermount3"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    assertEquals(List.of(), FusePrerequisites.missing(device, List.of("", lib.toString()), "/nonexistent:" + bin));
  }

  @Test
  void theLowLevelApiNeedsLibfuse3InsteadOfLibfuse2() throws Exception {
    Path device = Files.createFile(temp.resolve("fuse"));
    Path lib = Files.createDirectories(temp.resolve("lib"));
    Files.createFile(lib.resolve("libfuse.so.2"));
    Path bin = Files.createDirectories(temp.resolve("bin"));
    Files.createFile(bin.resolve("fusermount"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    List<String> problems = FusePrerequisites.missing(device, List.of(lib.toString()), bin.toString(), FuseApi.LOW_LEVEL);
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).contains("libfuse3.so.3") && problems.get(0).contains("apt-get install libfuse3-3"), problems.get(0));
    Files.createFile(lib.resolve("libfuse3.so.3"));
    Files.delete(lib.resolve("libfuse.so.2"));
    assertEquals(List.of(), FusePrerequisites.missing(device, List.of(lib.toString()), bin.toString(), FuseApi.LOW_LEVEL));
  }

  @Test
  void thisMachineHasEverything() {
    for (FuseApi api : FuseApi.values()) {
      assertEquals(List.of(), FusePrerequisites.missing(api), "libfuse2, libfuse3-3 and fuse3 are in .ci/apt-packages");
    }
  }
}
