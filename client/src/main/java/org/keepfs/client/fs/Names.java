package org.keepfs.client.fs;

import org.keepfs.posix.Errno;
import org.keepfs.posix.ErrnoException;

/** The rule for a single name in a directory, in one place. */
public final class Names {
  /** NAME_MAX on Linux: the longest name, in bytes of UTF-8. */
  public static final int MAX_NAME_BYTES = 255;

  private Names() {}

  /** Rejects names a directory cannot hold, with a message that names the problem. */
  public static String requireValid(String name) {
    String problem = problem(name);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    return name;
  }

  /** Like {@link #requireValid} but as the errno a filesystem call answers with. */
  public static String check(String name) throws ErrnoException {
    String problem = problem(name);
    if (problem != null) {
      int errno = name != null && name.length() > MAX_NAME_BYTES ? Errno.ENAMETOOLONG : Errno.EINVAL;
      throw new ErrnoException(errno, problem);
    }
    return name;
  }

  private static String problem(String name) {
    if (name == null || name.isEmpty()) {
      return "a name must not be empty";
    }
    if (name.equals(".") || name.equals("..")) {
      return "'" + name + "' is not a name a directory stores";
    }
    if (name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
      return "name '" + name.replace("\0", "\\0") + "' contains '/' or NUL";
    }
    if (name.length() > MAX_NAME_BYTES || name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
      return "name '" + name.substring(0, Math.min(name.length(), 40)) + "...' is longer than " + MAX_NAME_BYTES + " bytes";
    }
    return null;
  }
}
