package org.keepfs.manifest;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.keepfs.locator.Locator;

/**
 * Writes a tree as normalized manifest text, exactly as the reference SDKs normalize (Python
 * {@code normalize_stream} and {@code manifest_text(normalize=True)}):
 * <ul>
 *   <li>a depth-first walk: a directory's own stream line, then each subdirectory in name order;
 *   <li>a stream line lists the directory's files in name order (UTF-8 byte order);
 *   <li>each block once per stream, in order of first use by those files;
 *   <li>segments of one file that follow each other in the stream merged into one token;
 *   <li>an empty file written {@code 0:0:name}; a stream of empty files gets the empty block;
 *   <li>an empty directory written as its stream with the empty block and {@code 0:0:\056};
 *   <li>a directory with only subdirectories has no line; an empty collection is "".
 * </ul>
 * Names are escaped as {@link NameEscaping} says.
 */
final class ManifestWriter {
  private static final byte[] EMPTY_BLOCK = Locator.EMPTY_BLOCK.toString().getBytes(StandardCharsets.US_ASCII);
  private static final byte[] EMPTY_DIRECTORY_MARKER = " 0:0:\\056".getBytes(StandardCharsets.US_ASCII);

  private final ByteSink out;
  private byte[] streamName = new byte[256];

  private ManifestWriter(int expectedLength) {
    out = new ByteSink(expectedLength);
  }

  static byte[] normalized(Directory root, int expectedLength) {
    ManifestWriter w = new ManifestWriter(expectedLength);
    w.streamName[0] = '.';
    w.writeDirectory(root, 1, true);
    return w.out.toByteArray();
  }

  /** Writes {@code dir} whose escaped stream name is {@code streamName[0, nameLength)}. */
  private void writeDirectory(Directory dir, int nameLength, boolean isRoot) {
    int n = dir.size();
    if (n == 0) {
      if (!isRoot) {
        out.write(streamName, 0, nameLength);
        out.write(' ');
        out.write(EMPTY_BLOCK, 0, EMPTY_BLOCK.length);
        out.write(EMPTY_DIRECTORY_MARKER, 0, EMPTY_DIRECTORY_MARKER.length);
        out.write('\n');
      }
      return;
    }
    writeFiles(dir, nameLength);
    byte[] names = dir.nameBytes();
    for (int i = 0; i < n; i++) {
      if (!dir.isDirectory(i)) {
        continue;
      }
      int childLength = appendToStreamName(nameLength, names, dir.nameStart(i), dir.nameEnd(i));
      writeDirectory(dir.child(i), childLength, false);
    }
  }

  private void writeFiles(Directory dir, int nameLength) {
    int n = dir.size();
    boolean anyFile = false;
    for (int i = 0; i < n && !anyFile; i++) {
      anyFile = !dir.isDirectory(i);
    }
    if (!anyFile) {
      return;
    }
    out.write(streamName, 0, nameLength);
    Locator[] blocks = dir.blocks();
    long[] streamOffset = new long[blocks.length];
    Arrays.fill(streamOffset, -1);
    long streamLength = 0;
    for (int i = 0; i < n; i++) {
      if (dir.isDirectory(i)) {
        continue;
      }
      for (int s = dir.segmentStart(i), end = dir.segmentEnd(i); s < end; s++) {
        int b = dir.segmentBlockIndex(s);
        if (streamOffset[b] < 0) {
          streamOffset[b] = streamLength;
          streamLength += blocks[b].size();
          out.write(' ');
          out.writeAscii(blocks[b].toString());
        }
      }
    }
    if (streamLength == 0) { // only empty files (a segment is never empty, so it uses a non-empty block)
      out.write(' ');
      out.write(EMPTY_BLOCK, 0, EMPTY_BLOCK.length);
    }
    byte[] names = dir.nameBytes();
    for (int i = 0; i < n; i++) {
      if (dir.isDirectory(i)) {
        continue;
      }
      int from = dir.nameStart(i);
      int to = dir.nameEnd(i);
      int s = dir.segmentStart(i);
      int end = dir.segmentEnd(i);
      if (s == end) {
        writeFileToken(0, 0, names, from, to);
        continue;
      }
      long spanStart = -1;
      long spanEnd = -1;
      for (; s < end; s++) {
        long p = streamOffset[dir.segmentBlockIndex(s)] + dir.segmentOffset(s);
        if (p == spanEnd) {
          spanEnd += dir.segmentLength(s);
          continue;
        }
        if (spanStart >= 0) {
          writeFileToken(spanStart, spanEnd - spanStart, names, from, to);
        }
        spanStart = p;
        spanEnd = p + dir.segmentLength(s);
      }
      writeFileToken(spanStart, spanEnd - spanStart, names, from, to);
    }
    out.write('\n');
  }

  private void writeFileToken(long position, long length, byte[] names, int from, int to) {
    out.write(' ');
    out.writeDecimal(position);
    out.write(':');
    out.writeDecimal(length);
    out.write(':');
    NameEscaping.writeEscaped(out, names, from, to);
  }

  /** Appends {@code /escaped(name)} after {@code streamName[0, length)}; returns the new length. */
  private int appendToStreamName(int length, byte[] name, int from, int to) {
    ByteSink escaped = new ByteSink(to - from + 1);
    escaped.write('/');
    NameEscaping.writeEscaped(escaped, name, from, to);
    byte[] e = escaped.toByteArray();
    if (length + e.length > streamName.length) {
      streamName = Arrays.copyOf(streamName, Math.max(streamName.length * 2, length + e.length));
    }
    System.arraycopy(e, 0, streamName, length, e.length);
    return length + e.length;
  }
}
