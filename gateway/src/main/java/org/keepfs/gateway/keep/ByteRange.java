package org.keepfs.gateway.keep;

import java.util.Optional;

/**
 * One byte range of a {@code Range: bytes=...} header (RFC 9110 §14.1.2). Several ranges are not
 * supported: the whole representation is sent instead, which the RFC allows.
 *
 * @param offset first byte
 * @param length number of bytes
 */
public record ByteRange(long offset, long length) {
  /**
   * The range the header asks for within a representation of {@code size} bytes; empty when the
   * header is absent, not a bytes range, or lists several ranges.
   *
   * @throws UnsatisfiableRangeException when the range lies wholly outside the representation
   */
  public static Optional<ByteRange> parse(String header, long size) throws UnsatisfiableRangeException {
    if (header == null || !header.startsWith("bytes=") || header.indexOf(',') >= 0) {
      return Optional.empty();
    }
    String spec = header.substring("bytes=".length()).trim();
    int dash = spec.indexOf('-');
    if (dash < 0) {
      return Optional.empty();
    }
    String first = spec.substring(0, dash).trim();
    String last = spec.substring(dash + 1).trim();
    try {
      if (first.isEmpty()) {
        long suffix = Long.parseLong(last);
        if (suffix <= 0 || size == 0) {
          throw new UnsatisfiableRangeException(header, size);
        }
        long n = Math.min(suffix, size);
        return Optional.of(new ByteRange(size - n, n));
      }
      long start = Long.parseLong(first);
      long end = last.isEmpty() ? size - 1 : Math.min(Long.parseLong(last), size - 1);
      if (start < 0 || start >= size || end < start) {
        throw new UnsatisfiableRangeException(header, size);
      }
      return Optional.of(new ByteRange(start, end - start + 1));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The {@code Content-Range} value for this range of a representation of {@code size} bytes. */
  public String contentRange(long size) {
    return "bytes " + offset + "-" + (offset + length - 1) + "/" + size;
  }

  /** The range cannot be served; the reply is 416. */
  public static final class UnsatisfiableRangeException extends Exception {
    private static final long serialVersionUID = 1L;

    public UnsatisfiableRangeException(String header, long size) {
      super("range '" + header + "' is outside the " + size + " bytes of this block");
    }
  }
}
