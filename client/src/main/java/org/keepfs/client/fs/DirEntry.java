package org.keepfs.client.fs;

import java.util.Objects;

/**
 * One name in a directory listing.
 *
 * @param name the name (never empty, never ".", "..", never containing '/' or NUL)
 * @param ino the node it names
 * @param type the node's type, so listings need no stat per entry
 * @param nextOffset the offset to pass to {@link FileSystem#readdir} to continue after this entry
 */
public record DirEntry(String name, long ino, NodeType type, long nextOffset) {
  public DirEntry {
    Names.requireValid(name);
    Objects.requireNonNull(type, "type");
    if (nextOffset <= 0) {
      throw new IllegalArgumentException("nextOffset of '" + name + "' must be positive, got " + nextOffset);
    }
  }
}
