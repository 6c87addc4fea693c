package org.keepfs.manifest;

import java.util.ArrayList;
import java.util.List;

/**
 * A file of a manifest tree: a view of one entry of its {@link Directory}, made on demand so that the
 * tree itself holds no object per file. Keep the view (for example per open file) when reading many
 * ranges of a file with many segments: it remembers where each segment starts.
 */
public final class File implements Node {
  /** Files with more segments than this find a range by binary search (a 1 TB file has 16,000). */
  private static final int LINEAR_SCAN_LIMIT = 16;

  private final Directory parent;
  private final int index;
  private volatile long[] segmentEnds; // computed on first use; racing threads compute equal arrays

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
    long size = size();
    long end = length >= size - offset ? size : offset + length; // no overflow for huge lengths
    List<Segment> out = new ArrayList<>();
    if (offset >= end) {
      return out;
    }
    int s = parent.segmentStart(index);
    int last = parent.segmentEnd(index);
    long filePosition = 0;
    if (last - s > LINEAR_SCAN_LIMIT) {
      int first = firstSegmentEndingAfter(offset);
      filePosition = first == 0 ? 0 : segmentEnds()[first - 1];
      s += first;
    }
    for (; s < last && filePosition < end; s++) {
      long segmentLength = parent.segmentLength(s);
      long segmentEnd = filePosition + segmentLength;
      if (segmentEnd > offset) {
        long skip = Math.max(0, offset - filePosition);
        long take = Math.min(segmentEnd, end) - filePosition - skip;
        out.add(new Segment(parent.segmentBlock(s), parent.segmentOffset(s) + skip, take));
      }
      filePosition = segmentEnd;
    }
    return out;
  }

  /** The index (within this file) of the first segment whose end lies after {@code offset}. */
  private int firstSegmentEndingAfter(long offset) {
    long[] ends = segmentEnds();
    int low = 0;
    int high = ends.length - 1;
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (ends[mid] > offset) {
        high = mid;
      } else {
        low = mid + 1;
      }
    }
    return low;
  }

  /** Where each segment ends in the file; made once per view, for files with many segments. */
  private long[] segmentEnds() {
    long[] ends = segmentEnds;
    if (ends == null) {
      int first = parent.segmentStart(index);
      ends = new long[parent.segmentEnd(index) - first];
      long position = 0;
      for (int k = 0; k < ends.length; k++) {
        position += parent.segmentLength(first + k);
        ends[k] = position;
      }
      segmentEnds = ends;
    }
    return ends;
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
