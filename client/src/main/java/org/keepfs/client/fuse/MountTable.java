package org.keepfs.client.fuse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What the kernel says is mounted, read from {@code /proc/self/mountinfo}. */
public final class MountTable {
  private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");
  /** The kernel's limit on symbolic links followed in one path walk. */
  private static final int MAX_SYMLINK_HOPS = 40;

  private MountTable() {}

  /**
   * The mount at exactly {@code mountPoint} (the last one if several are stacked), if any. Symbolic
   * links in the path are resolved first, because the kernel lists real paths.
   */
  public static Optional<MountInfo> find(Path mountPoint) throws IOException {
    Path wanted = canonical(mountPoint);
    Optional<MountInfo> found = Optional.empty();
    for (MountInfo m : parse(Files.readString(MOUNTINFO))) {
      if (m.mountPoint().equals(wanted)) {
        found = Optional.of(m);
      }
    }
    return found;
  }

  /**
   * {@code p} with symbolic links resolved, as the kernel lists mount points. Only the parent
   * directories are resolved with {@code realpath}; the last component is only read as a link, never
   * stat'ed, because a stat of a mount point goes to its filesystem, which may be the hung mount
   * someone is trying to remove.
   */
  public static Path canonical(Path p) {
    Path current = p.toAbsolutePath().normalize();
    for (int hops = 0; hops < MAX_SYMLINK_HOPS; hops++) {
      Path parent = current.getParent();
      if (parent == null) {
        return current;
      }
      Path candidate;
      try {
        candidate = parent.toRealPath().resolve(current.getFileName());
      } catch (IOException e) {
        return current;
      }
      try {
        current = candidate.getParent().resolve(Files.readSymbolicLink(candidate)).normalize();
      } catch (IOException | UnsupportedOperationException e) {
        // Not a link (or unreadable): this is the path.
        return candidate;
      }
    }
    return current;
  }

  /**
   * Parses mountinfo text: {@code id parent major:minor root mountpoint options [optional...] -
   * fstype source superoptions}, with space, tab, newline and backslash octal-escaped.
   */
  static List<MountInfo> parse(String text) {
    List<MountInfo> mounts = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split(" ");
      int dash = -1;
      for (int i = 6; i < f.length; i++) {
        if (f[i].equals("-")) {
          dash = i;
          break;
        }
      }
      if (f.length < 5 || dash < 0 || dash + 2 >= f.length) {
        throw new IllegalArgumentException("mountinfo line has an unexpected shape: " + line);
      }
      mounts.add(new MountInfo(Path.of(unescape(f[4])), unescape(f[dash + 1]), unescape(f[dash + 2])));
    }
    return mounts;
  }

  static String unescape(String s) {
    if (s.indexOf('\\') < 0) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && isOctal(s, i + 1)) {
        out.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static boolean isOctal(String s, int from) {
    if (from + 3 > s.length()) {
      return false;
    }
    for (int i = from; i < from + 3; i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '7') {
        return false;
      }
    }
    return true;
  }
}
