package org.keepfs.collection;

import java.nio.charset.StandardCharsets;

/** The rule for collection names, in one place. */
public final class CollectionName {
  /** Names are at most this many UTF-8 bytes, like a file name. */
  public static final int MAX_BYTES = 255;

  private CollectionName() {}

  /**
   * Returns {@code name} if it is a valid collection name: 1 to 255 UTF-8 bytes, not {@code .} or
   * {@code ..}, no {@code /} and no control characters (it becomes a directory name in trees).
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static String check(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("a collection name must not be empty");
    }
    if (name.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      throw new IllegalArgumentException("collection name is longer than " + MAX_BYTES + " bytes");
    }
    if (name.equals(".") || name.equals("..")) {
      throw new IllegalArgumentException("'" + name + "' cannot be a collection name");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '/') {
        throw new IllegalArgumentException("collection name '" + name + "' contains '/'");
      }
      if (c < 0x20 || c == 0x7f) {
        throw new IllegalArgumentException("collection name contains control character U+"
            + String.format("%04X", (int) c));
      }
    }
    return name;
  }
}
