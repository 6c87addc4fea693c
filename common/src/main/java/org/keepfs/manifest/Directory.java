package org.keepfs.manifest;

import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.keepfs.locator.Locator;

/**
 * An immutable directory of a manifest tree, packed into a few arrays so that a file costs tens of
 * bytes rather than several objects. A directory does not know its own name or parent, so a subtree can
 * be shared by many trees (a changed tree reuses every directory it did not change).
 *
 * <p>Layout. Entries are sorted by the unsigned bytes of their UTF-8 names. For entry {@code i}:
 * <ul>
 *   <li>its name is {@code names[nameEnd(i - 1) .. nameEnds[i])};
 *   <li>{@code sizeOrChild[i] >= 0} means a file of that many bytes; a negative value {@code ~c} means the
 *       subdirectory {@code children[c]};
 *   <li>its segments are {@code segmentEnd(i - 1) .. segmentEnds[i]}; segment {@code s} is the triple
 *       {@code segments[3s] = block index into blocks, [3s+1] = offset in the block, [3s+2] = length}.
 * </ul>
 * Block offsets and lengths fit an {@code int} because blocks are at most 2 GiB (Keep's own limit is 64 MiB).
 */
public final class Directory implements Node {
  /** The directory with no entries. */
  public static final Directory EMPTY =
      new Directory(new byte[0], new int[0], new long[0], new int[0], new int[0], new Locator[0], new Directory[0]);

  private final byte[] names;
  private final int[] nameEnds;
  private final long[] sizeOrChild;
  private final int[] segmentEnds;
  private final int[] segments;
  private final Locator[] blocks;
  private final Directory[] children;

  Directory(byte[] names, int[] nameEnds, long[] sizeOrChild, int[] segmentEnds, int[] segments,
      Locator[] blocks, Directory[] children) {
    this.names = names;
    this.nameEnds = nameEnds;
    this.sizeOrChild = sizeOrChild;
    this.segmentEnds = segmentEnds;
    this.segments = segments;
    this.blocks = blocks;
    this.children = children;
  }

  /** The number of entries (files and subdirectories). */
  public int size() {
    return nameEnds.length;
  }

  /** True when the directory has no entries. */
  public boolean isEmpty() {
    return nameEnds.length == 0;
  }

  /** The name of entry {@code i}. */
  public String name(int i) {
    int start = nameStart(i);
    return new String(names, start, nameEnds[i] - start, StandardCharsets.UTF_8);
  }

  /** True when entry {@code i} is a subdirectory. */
  public boolean isDirectory(int i) {
    return sizeOrChild[i] < 0;
  }

  /** The size in bytes of entry {@code i}, which must be a file (a listing with sizes needs no views). */
  public long fileSize(int i) {
    long v = sizeOrChild[i];
    if (v < 0) {
      throw new IllegalArgumentException("entry " + i + " ('" + name(i) + "') is a directory, not a file");
    }
    return v;
  }

  /** Entry {@code i}: a {@link Directory} or a {@link File}. */
  public Node entry(int i) {
    long v = sizeOrChild[i];
    return v < 0 ? children[(int) ~v] : new File(this, i);
  }

  /** The names of the entries in sorted order (UTF-8 byte order). */
  public List<String> names() {
    return new AbstractList<>() {
      @Override
      public String get(int i) {
        return name(i);
      }

      @Override
      public int size() {
        return nameEnds.length;
      }
    };
  }

  /** The position of the entry called {@code name}, or -1. */
  public int indexOf(String name) {
    return indexOf(name.getBytes(StandardCharsets.UTF_8));
  }

  int indexOf(byte[] name) {
    int low = 0;
    int high = nameEnds.length - 1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      int c = Arrays.compareUnsigned(names, nameStart(mid), nameEnds[mid], name, 0, name.length);
      if (c < 0) {
        low = mid + 1;
      } else if (c > 0) {
        high = mid - 1;
      } else {
        return mid;
      }
    }
    return -1;
  }

  /** The entry called {@code name} (one path component), if there is one. */
  public Optional<Node> lookup(String name) {
    int i = indexOf(name);
    return i < 0 ? Optional.empty() : Optional.of(entry(i));
  }

  /**
   * The entry at {@code path} below this directory: components separated by {@code /}; empty components
   * are ignored, so {@code ""} and {@code "/"} name this directory.
   */
  public Optional<Node> resolve(String path) {
    Node node = this;
    int start = 0;
    while (start <= path.length()) {
      int slash = path.indexOf('/', start);
      int end = slash < 0 ? path.length() : slash;
      if (end > start) {
        if (!(node instanceof Directory dir)) {
          return Optional.empty();
        }
        int i = dir.indexOf(path.substring(start, end));
        if (i < 0) {
          return Optional.empty();
        }
        node = dir.entry(i);
      }
      start = end + 1;
    }
    return Optional.of(node);
  }

  /** The number of files in this directory and all below it. */
  public long fileCount() {
    long n = 0;
    for (int i = 0; i < sizeOrChild.length; i++) {
      n += sizeOrChild[i] < 0 ? children[(int) ~sizeOrChild[i]].fileCount() : 1;
    }
    return n;
  }

  /** The number of directories below this one (not counting itself). */
  public long directoryCount() {
    long n = children.length;
    for (Directory child : children) {
      n += child.directoryCount();
    }
    return n;
  }

  /** The total size in bytes of the files in this directory and all below it. */
  public long totalBytes() {
    long n = 0;
    for (int i = 0; i < sizeOrChild.length; i++) {
      n += sizeOrChild[i] < 0 ? children[(int) ~sizeOrChild[i]].totalBytes() : sizeOrChild[i];
    }
    return n;
  }

  /**
   * True when {@code other} holds the same names, the same kinds of entry and the same file contents
   * (the same blocks, offsets and lengths in order), at every level.
   */
  public boolean sameTreeAs(Directory other) {
    if (this == other) {
      return true;
    }
    int n = size();
    if (other.size() != n || !Arrays.equals(names, other.names) || !Arrays.equals(nameEnds, other.nameEnds)) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      if (isDirectory(i) != other.isDirectory(i)) {
        return false;
      }
      if (isDirectory(i)) {
        if (!((Directory) entry(i)).sameTreeAs((Directory) other.entry(i))) {
          return false;
        }
        continue;
      }
      if (fileSize(i) != other.fileSize(i) || segmentEnd(i) - segmentStart(i) != other.segmentEnd(i) - other.segmentStart(i)) {
        return false;
      }
      for (int s = segmentStart(i), t = other.segmentStart(i); s < segmentEnd(i); s++, t++) {
        if (segmentOffset(s) != other.segmentOffset(t) || segmentLength(s) != other.segmentLength(t)
            || !segmentBlock(s).equals(other.segmentBlock(t))) {
          return false;
        }
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return "Directory[" + size() + " entries]";
  }

  // Package-private accessors for File, the writer and the builder.

  int nameStart(int i) {
    return i == 0 ? 0 : nameEnds[i - 1];
  }

  int nameEnd(int i) {
    return nameEnds[i];
  }

  byte[] nameBytes() {
    return names;
  }


  Directory child(int i) {
    return children[(int) ~sizeOrChild[i]];
  }

  int segmentStart(int i) {
    return i == 0 ? 0 : segmentEnds[i - 1];
  }

  int segmentEnd(int i) {
    return segmentEnds[i];
  }

  int segmentBlockIndex(int s) {
    return segments[3 * s];
  }

  Locator segmentBlock(int s) {
    return blocks[segments[3 * s]];
  }

  long segmentOffset(int s) {
    return segments[3 * s + 1];
  }

  long segmentLength(int s) {
    return segments[3 * s + 2];
  }

  Locator[] blocks() {
    return blocks;
  }
}
