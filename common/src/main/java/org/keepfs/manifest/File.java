package org.keepfs.manifest;

import java.util.ArrayList;
import java.util.List;

/**
 * A file of a manifest tree: a view of one entry of its {@link Directory}, made on demand so that the
 * tree itself holds no object per file.
 */
public final class File implements Node {
  private final Directory parent;
  private final int index;

  File(Directory parent, int index) {
    this.parent = parent;
    this.index = index;
  }

  /** The directory that holds this file. */
  public Directory parent() {
    return parent;
  }

  /** The file's name (one path component). */
  public String name() {
    return parent.name(index);
  }

  /** The file's length in bytes: the sum of its segment lengths. */
  public long size() {
    return parent.fileSize(index);
  }

  /** How many segments the file has. */
  public int segmentCount() {
    return parent.segmentEnd(index) - parent.segmentStart(index);
  }

  /** All segments in file order. */
  public List<Segment> segments() {
    return segments(0, size());
  }

  /**
   * The segments covering bytes {@code [offset, offset + length)} of the file, trimmed to that range;
   * a range past the end of the file is cut at the end (empty when it starts there or later).
   */
  public List<Segment> segments(long offset, long length) {
    if (offset < 0 || length < 0) {
      throw new IllegalArgumentException("invalid byte range offset=" + offset + " length=" + length);
    }
    long end = length >= size() - offset ? size() : offset + length; // no overflow for huge lengths
    List<Segment> out = new ArrayList<>();
    long filePosition = 0;
    for (int s = parent.segmentStart(index), last = parent.segmentEnd(index); s < last && filePosition < end; s++) {
      long segmentLength = parent.segmentLength(s);
      long segmentEnd = filePosition + segmentLength;
      if (segmentEnd > offset) {
        long skip = Math.max(0, offset - filePosition);
        long take = Math.min(segmentEnd, end) - filePosition - skip;
        if (take > 0) {
          out.add(new Segment(parent.segmentBlock(s), parent.segmentOffset(s) + skip, take));
        }
      }
      filePosition = segmentEnd;
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof File f && f.parent == parent && f.index == index;
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(parent) * 31 + index;
  }

  @Override
  public String toString() {
    return "File[" + name() + ", " + size() + " bytes, " + segmentCount() + " segments]";
  }
}
