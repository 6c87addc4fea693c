package org.keepfs.client.fuse;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks what a mount needs, and says what to install when a piece is missing: the
 * {@code /dev/fuse} device, the libfuse of the chosen API (high-level: libfuse 2,
 * {@code libfuse.so.2}, Debian package {@code libfuse2}, since jnr-fuse cannot use libfuse 3;
 * low-level: {@code libfuse3.so.3}, Debian package {@code libfuse3-3}) and {@code fusermount} for
 * unmounting (Debian package {@code fuse3}, whose {@code fusermount} links to {@code fusermount3};
 * it replaces the old {@code fuse} package).
 */
public final class FusePrerequisites {
  static final Path DEVICE = Path.of("/dev/fuse");
  private static final List<String> LIBRARY_DIRS = List.of(
      "/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/lib/aarch64-linux-gnu",
      "/usr/lib64", "/lib64", "/usr/lib", "/lib", "/usr/local/lib");

  private FusePrerequisites() {}

  /** What the default API is missing, one sentence each naming the fix; empty when everything is there. */
  public static List<String> missing() {
    return missing(MountOptions.DEFAULT_API);
  }

  /** What a mount through {@code api} is missing, one sentence each naming the fix. */
  public static List<String> missing(FuseApi api) {
    List<String> libraryDirs = new ArrayList<>();
    String ldPath = System.getenv("LD_LIBRARY_PATH");
    if (ldPath != null) {
      libraryDirs.addAll(List.of(ldPath.split(File.pathSeparator)));
    }
    libraryDirs.addAll(LIBRARY_DIRS);
    return missing(DEVICE, libraryDirs, System.getenv().getOrDefault("PATH", "/usr/bin:/bin"), api);
  }

  static List<String> missing(Path device, List<String> libraryDirs, String searchPath) {
    return missing(device, libraryDirs, searchPath, FuseApi.HIGH_LEVEL);
  }

  static List<String> missing(Path device, List<String> libraryDirs, String searchPath, FuseApi api) {
    List<String> problems = new ArrayList<>();
    if (!Files.exists(device)) {
      problems.add(device + " does not exist: load the kernel module (modprobe fuse), or give the container the device"
          + " (docker run --device /dev/fuse --cap-add SYS_ADMIN)");
    } else if (!Files.isReadable(device) || !Files.isWritable(device)) {
      problems.add(device + " is not readable and writable by this user: run as root or add the user to the group that owns it");
    }
    if (api == FuseApi.HIGH_LEVEL && find(libraryDirs, "libfuse.so.2", Files::exists).isEmpty()) {
      problems.add("libfuse.so.2 was not found: install libfuse 2 (Debian/Ubuntu: apt-get install libfuse2;"
          + " Fedora: dnf install fuse-libs), or mount with --fuse-api lowlevel (libfuse 3)");
    }
    if (api == FuseApi.LOW_LEVEL && find(libraryDirs, "libfuse3.so.3", Files::exists).isEmpty()) {
      problems.add("libfuse3.so.3 was not found: install libfuse 3 (Debian/Ubuntu: apt-get install libfuse3-3;"
          + " Fedora: dnf install fuse3-libs)");
    }
    List<String> pathDirs = List.of(searchPath.split(File.pathSeparator));
    if (find(pathDirs, "fusermount", Files::isExecutable).isEmpty() && find(pathDirs, "fusermount3", Files::isExecutable).isEmpty()) {
      problems.add("fusermount is not on PATH: install fuse3 (Debian/Ubuntu: apt-get install fuse3)");
    }
    return problems;
  }

  /** Throws an exception listing every missing piece, or returns when FUSE can be used. */
  public static void require() throws FuseUnavailableException {
    require(MountOptions.DEFAULT_API);
  }

  /** Throws an exception listing every piece a mount through {@code api} is missing. */
  public static void require(FuseApi api) throws FuseUnavailableException {
    List<String> problems = missing(api);
    if (!problems.isEmpty()) {
      throw new FuseUnavailableException("FUSE is not usable here: " + String.join("; ", problems));
    }
  }

  private static List<Path> find(List<String> dirs, String name, java.util.function.Predicate<Path> test) {
    return dirs.stream().filter(d -> !d.isEmpty()).map(d -> Path.of(d, name)).filter(test).limit(1).toList();
  }
}
