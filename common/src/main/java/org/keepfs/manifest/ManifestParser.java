package org.keepfs.manifest;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.keepfs.locator.Locator;

/**
 * Reads manifest text (keep-arvados.md section 1) into a tree. It accepts what the reference readers
 * accept (unescaped colons in file names, {@code 0:0:.} and {@code 0:0:\056} directory markers, leading
 * zeros, a file spread over several tokens and lines, {@code /} in file names, {@code \\} for a
 * backslash) and rejects the rest with a {@link ManifestFormatException} that names the line and token.
 *
 * <p>It works on the UTF-8 bytes and makes no string per token: only locators and names become objects.
 */
final class ManifestParser {
  private static final int MAX_DIGITS = 18;

  private final byte[] text;
  private final TreeBuilder tree = new TreeBuilder();

  private int line;
  private int tokenNumber;
  private int tokenStart;
  private int tokenEnd;

  // The current stream's blocks: builder-wide indexes and where each starts in the stream.
  private int[] streamBlocks = new int[16];
  private long[] streamBlockStarts = new long[17];
  private int streamBlockCount;

  // Where the last unescaped name is: in scratch or in place in text.
  private byte[] scratch = new byte[256];
  private boolean decodedInScratch;
  private int decodedFrom;

  private ManifestParser(byte[] text) {
    this.text = text;
  }

  static Directory parse(byte[] text) {
    return new ManifestParser(text).parse();
  }

  private Directory parse() {
    int pos = 0;
    while (pos < text.length) {
      line++;
      int eol = pos;
      while (eol < text.length && text[eol] != '\n') {
        eol++;
      }
      if (eol == text.length) {
        throw new ManifestFormatException(line, 0, "",
            "the manifest does not end with a newline (every line, the last included, ends with \\n)");
      }
      if (eol == pos) {
        throw new ManifestFormatException(line, 0, "", "the line is empty (a manifest has no blank lines)");
      }
      parseLine(pos, eol);
      pos = eol + 1;
    }
    return tree.build();
  }

  private void parseLine(int start, int end) {
    tokenNumber = 0;
    streamBlockCount = 0;
    streamBlockStarts[0] = 0;
    boolean sawFile = false;
    TreeBuilder.DirectoryBuilder stream = null;
    int p = start;
    while (true) {
      int e = p;
      int control = -1;
      while (e < end && text[e] != ' ') {
        if ((text[e] & 0xff) < 0x20 && control < 0) {
          control = text[e];
        }
        e++;
      }
      tokenNumber++;
      tokenStart = p;
      tokenEnd = e;
      if (e == p) {
        String where = p == start ? "the line starts with a space"
            : e == end ? "the line ends with a space" : "two spaces in a row";
        throw error(where + " (tokens are separated by exactly one space)");
      }
      if (control >= 0) {
        throw error("contains the control character 0x%02x%s; tokens are separated by one space and names spell control characters as \\ooo"
            .formatted(control, control == '\t' ? " (a tab)" : control == '\r' ? " (a carriage return)" : ""));
      }
      if (tokenNumber == 1) {
        stream = streamDirectory();
      } else if (looksLikeLocator()) {
        if (sawFile) {
          throw error("a locator after the file tokens (a stream lists all its locators first)");
        }
        addBlock();
      } else {
        if (streamBlockCount == 0) {
          throw error(isFileTokenShaped()
              ? "the stream has no locator before its first file token (an empty stream uses " + Locator.EMPTY_BLOCK + ")"
              : "expected a locator (md5 hash+size) after the stream name");
        }
        sawFile = true;
        addFile(stream);
      }
      if (e == end) {
        break;
      }
      p = e + 1;
    }
    if (tokenNumber == 1) {
      throw error("the line has only a stream name; a stream needs at least one locator and one file token");
    }
    if (!sawFile) {
      throw error("the stream has no file token (position:size:name) after its locators");
    }
  }

  private boolean looksLikeLocator() {
    int n = tokenEnd - tokenStart;
    if (n < 32 || (n > 32 && text[tokenStart + 32] != '+')) {
      return false;
    }
    for (int i = tokenStart; i < tokenStart + 32; i++) {
      byte c = text[i];
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  /** Whether the token starts with digits and a colon, as a file token does. */
  private boolean isFileTokenShaped() {
    int p = tokenStart;
    while (p < tokenEnd && text[p] >= '0' && text[p] <= '9') {
      p++;
    }
    return p > tokenStart && p < tokenEnd && text[p] == ':';
  }

  private void addBlock() {
    Locator locator;
    int index;
    try {
      locator = Locator.parse(new String(text, tokenStart, tokenEnd - tokenStart, StandardCharsets.ISO_8859_1));
      index = tree.blockIndex(locator);
    } catch (IllegalArgumentException e) { // a LocatorFormatException, or a block too large for the model
      throw error(e.getMessage());
    }
    if (streamBlockCount == streamBlocks.length) {
      streamBlocks = Arrays.copyOf(streamBlocks, streamBlockCount * 2);
      streamBlockStarts = Arrays.copyOf(streamBlockStarts, streamBlockCount * 2 + 1);
    }
    streamBlocks[streamBlockCount] = index;
    streamBlockStarts[streamBlockCount + 1] = streamBlockStarts[streamBlockCount] + locator.size();
    streamBlockCount++;
  }

  private TreeBuilder.DirectoryBuilder streamDirectory() {
    int length = unescape(tokenStart, tokenEnd);
    byte[] name = decodedName();
    int from = decodedFrom();
    int to = from + length;
    checkUtf8(name, from, to, "stream name");
    if (!(length == 1 && name[from] == '.') && !(length >= 2 && name[from] == '.' && name[from + 1] == '/')) {
      throw error("a stream name is '.' or starts with './'");
    }
    TreeBuilder.DirectoryBuilder dir = tree.root();
    int p = from + 2;
    while (length > 1 && p <= to) {
      int slash = p;
      while (slash < to && name[slash] != '/') {
        slash++;
      }
      checkComponent(name, p, slash, "stream name");
      String key = new String(name, p, slash - p, StandardCharsets.ISO_8859_1);
      TreeBuilder.DirectoryBuilder next = dir.subdirectory(key);
      if (next == null) {
        throw error("'" + TreeBuilder.display(key) + "' is a file, so it cannot also be a directory");
      }
      dir = next;
      p = slash + 1;
    }
    return dir;
  }

  private void addFile(TreeBuilder.DirectoryBuilder stream) {
    int p = tokenStart;
    int positionEnd = digits(p);
    long position = number(p, positionEnd);
    int sizeEnd = digits(positionEnd + 1);
    long size = number(positionEnd + 1, sizeEnd);
    int nameStart = sizeEnd + 1;
    if (nameStart >= tokenEnd) {
      throw error("the file name is empty");
    }
    long streamLength = streamBlockStarts[streamBlockCount];
    if (position + size > streamLength) {
      throw error("bytes " + position + " to " + (position + size) + " lie past the end of the stream ("
          + streamLength + " bytes)");
    }
    int length = unescape(nameStart, tokenEnd);
    byte[] name = decodedName();
    int from = decodedFrom();
    int to = from + length;
    checkUtf8(name, from, to, "file name");

    TreeBuilder.DirectoryBuilder dir = stream;
    int c = from;
    while (true) {
      int slash = c;
      while (slash < to && name[slash] != '/') {
        slash++;
      }
      boolean last = slash == to;
      if (last && slash - c == 1 && name[c] == '.') {
        if (size != 0) {
          throw error("'.' marks an empty directory and must have size 0, not " + size);
        }
        return;
      }
      checkComponent(name, c, slash, "file name");
      String key = new String(name, c, slash - c, StandardCharsets.ISO_8859_1);
      if (!last) {
        TreeBuilder.DirectoryBuilder next = dir.subdirectory(key);
        if (next == null) {
          throw error("'" + TreeBuilder.display(key) + "' is a file, so it cannot also be a directory");
        }
        dir = next;
        c = slash + 1;
        continue;
      }
      FileBuilder file = dir.file(key);
      if (file == null) {
        throw error("'" + TreeBuilder.display(key) + "' is a directory, so it cannot also be a file");
      }
      appendSegments(file, position, size);
      return;
    }
  }

  private void appendSegments(FileBuilder file, long position, long size) {
    if (size == 0) {
      return;
    }
    // The last block starting at or before position; zero-length blocks before it are skipped.
    int low = 0;
    int high = streamBlockCount - 1;
    while (low < high) {
      int mid = (low + high + 1) >>> 1;
      if (streamBlockStarts[mid] <= position) {
        low = mid;
      } else {
        high = mid - 1;
      }
    }
    int b = low;
    long offset = position - streamBlockStarts[b];
    long remaining = size;
    while (remaining > 0) {
      long blockLength = streamBlockStarts[b + 1] - streamBlockStarts[b];
      long take = Math.min(remaining, blockLength - offset);
      if (take > 0) {
        file.append(streamBlocks[b], (int) offset, (int) take);
        remaining -= take;
      }
      offset = 0;
      b++;
    }
  }

  private int digits(int from) {
    int p = from;
    while (p < tokenEnd && text[p] >= '0' && text[p] <= '9') {
      p++;
    }
    if (p == from || p >= tokenEnd || text[p] != ':') {
      throw error("expected a file token position:size:name (decimal position and size)");
    }
    if (p - from > MAX_DIGITS) {
      throw error("the number " + new String(text, from, p - from, StandardCharsets.ISO_8859_1) + " is too large");
    }
    return p;
  }

  private long number(int from, int to) {
    long v = 0;
    for (int i = from; i < to; i++) {
      v = v * 10 + (text[i] - '0');
    }
    return v;
  }

  /**
   * Decodes the escapes of {@code text[from, to)}; returns the decoded length. A name without a backslash
   * is used in place; others are decoded into {@code scratch}. {@link #decodedName()} and
   * {@link #decodedFrom()} say where the result is.
   */
  private int unescape(int from, int to) {
    int backslash = from;
    while (backslash < to && text[backslash] != '\\') {
      backslash++;
    }
    if (backslash == to) {
      decodedInScratch = false;
      decodedFrom = from;
      return to - from;
    }
    if (scratch.length < to - from) {
      scratch = new byte[Math.max(to - from, scratch.length * 2)];
    }
    decodedInScratch = true;
    decodedFrom = 0;
    try {
      return NameEscaping.unescape(text, from, to, scratch);
    } catch (IllegalArgumentException e) {
      throw error(e.getMessage());
    }
  }

  private byte[] decodedName() {
    return decodedInScratch ? scratch : text;
  }

  private int decodedFrom() {
    return decodedFrom;
  }

  private void checkUtf8(byte[] b, int from, int to, String what) {
    if (!NameEscaping.isUtf8(b, from, to)) {
      throw error("the " + what + " is not valid UTF-8");
    }
  }

  private void checkComponent(byte[] b, int from, int to, String what) {
    int n = to - from;
    if (n == 0) {
      throw error("the " + what + " has an empty path component (a leading, trailing or doubled '/')");
    }
    if ((n == 1 && b[from] == '.') || (n == 2 && b[from] == '.' && b[from + 1] == '.')) {
      throw error("the " + what + " has a '" + new String(b, from, n, StandardCharsets.US_ASCII)
          + "' path component");
    }
  }

  private ManifestFormatException error(String reason) {
    String token = new String(text, tokenStart, tokenEnd - tokenStart, StandardCharsets.UTF_8);
    return new ManifestFormatException(line, tokenNumber, token, reason);
  }
}
