package org.keepfs.manifest;

import java.util.Arrays;

/**
 * A file being built: its segments as (builder-wide block index, offset, length). The first segment is
 * held in fields because most files have one; further ones go to an array of triples.
 */
final class FileBuilder {
  private int firstBlock = -1;
  private int firstOffset;
  private int firstLength;
  private int[] more;
  private int moreUsed;
  long size;

  int segmentCount() {
    return firstBlock < 0 ? 0 : 1 + moreUsed / 3;
  }

  int block(int k) {
    return k == 0 ? firstBlock : more[3 * k - 3];
  }

  int offset(int k) {
    return k == 0 ? firstOffset : more[3 * k - 2];
  }

  int length(int k) {
    return k == 0 ? firstLength : more[3 * k - 1];
  }

  /** Appends a segment, merging it into the last one when it continues it in the same block. */
  void append(int block, int offset, int length) {
    if (length == 0) {
      return;
    }
    size += length;
    if (firstBlock < 0) {
      firstBlock = block;
      firstOffset = offset;
      firstLength = length;
      return;
    }
    int last = segmentCount() - 1;
    if (block(last) == block && (long) offset(last) + length(last) == offset
        && (long) length(last) + length <= Integer.MAX_VALUE) {
      if (last == 0) {
        firstLength += length;
      } else {
        more[moreUsed - 1] += length;
      }
      return;
    }
    if (more == null) {
      more = new int[3];
    } else if (moreUsed == more.length) {
      more = Arrays.copyOf(more, more.length * 2);
    }
    more[moreUsed] = block;
    more[moreUsed + 1] = offset;
    more[moreUsed + 2] = length;
    moreUsed += 3;
  }
}
