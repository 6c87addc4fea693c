package org.keepfs.client.fs;

/** The kinds of node the tree holds, with the file-type bits POSIX puts in {@code st_mode}. */
public enum NodeType {
  FILE(0100000),
  DIRECTORY(0040000),
  SYMLINK(0120000);

  /** The mask that selects the file-type bits of a mode. */
  public static final int TYPE_MASK = 0170000;

  private final int modeBits;

  NodeType(int modeBits) {
    this.modeBits = modeBits;
  }

  /** The {@code S_IF*} bits of this type. */
  public int modeBits() {
    return modeBits;
  }

  /** The type named by the file-type bits of {@code mode}. */
  public static NodeType ofMode(int mode) {
    int bits = mode & TYPE_MASK;
    for (NodeType t : values()) {
      if (t.modeBits == bits) {
        return t;
      }
    }
    throw new IllegalArgumentException("mode 0" + Integer.toOctalString(mode) + " is not a regular file, directory or symlink");
  }
}
