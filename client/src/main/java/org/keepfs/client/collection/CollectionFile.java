package org.keepfs.client.collection;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.keepfs.client.fs.FileRegion;
import org.keepfs.client.fs.OpenFile;
import org.keepfs.client.fs.PageCache;
import org.keepfs.client.fs.TimedAttributes;
import org.keepfs.manifest.File;
import org.keepfs.manifest.Segment;
import org.keepfs.posix.Errno;
import org.keepfs.posix.ErrnoException;

/**
 * An open file of a collection: its segments, read through the {@link BlockFetcher}. A read that
 * continues where the last one ended starts fetching the pieces of the next {@link #READ_AHEAD_BYTES}
 * in the background, so a sequential reader finds them cached; a random read fetches only its piece. The manifest snapshot taken at open is
 * kept, so a head that moves while the file is open never mixes two versions. Content is immutable,
 * so the kernel keeps its cached pages.
 */
final class CollectionFile implements OpenFile {
  static final long READ_AHEAD_BYTES = 32L << 20;

  private final File file;
  private final BlockFetcher blocks;
  private final BlockFetcher.Cursor cursor;
  private final TimedAttributes attributes;
  private final AtomicLong nextSequential = new AtomicLong(0);
  private final AtomicLong readAheadIssued = new AtomicLong(0);
  private volatile boolean open = true;

  CollectionFile(File file, BlockFetcher blocks, TimedAttributes attributes) {
    this.file = file;
    this.blocks = blocks;
    this.cursor = blocks.cursor();
    this.attributes = attributes;
  }

  @Override
  public int read(ByteBuffer dst, long offset) throws IOException {
    if (offset < 0) {
      throw new ErrnoException(Errno.EINVAL, "read of " + file.name() + " at negative offset " + offset);
    }
    int want = dst.remaining();
    noteRead(offset, want);
    int total = 0;
    for (Segment s : file.segments(offset, want)) {
      ByteBuffer part = dst.slice(dst.position(), (int) s.length());
      int n = 0;
      while (part.hasRemaining()) {
        int r = cursor.read(s.block(), s.offset() + n, part);
        if (r <= 0) {
          throw new ErrnoException(Errno.EIO, "block " + s.block().hashAndSize() + " ended before offset " + (s.offset() + n));
        }
        n += r;
      }
      dst.position(dst.position() + n);
      total += n;
    }
    return total;
  }

  /**
   * The bytes of a read as a region of one verified cache file (fetching their piece if needed), when
   * they lie in one piece; a read across pieces, past the end or not cacheable is left to {@link #read}.
   */
  @Override
  public Optional<FileRegion> region(long offset, int size) throws IOException {
    if (offset < 0 || offset >= file.size() || size <= 0) {
      return Optional.empty();
    }
    int want = (int) Math.min(size, file.size() - offset);
    List<Segment> segments = file.segments(offset, want);
    if (segments.size() != 1) {
      return Optional.empty();
    }
    // Before waiting for the piece, so a sequential reader's next pieces are on their way meanwhile; a
    // fallback to read() then finds the read noted and does not move the read-ahead twice.
    noteRead(offset, want);
    Segment s = segments.get(0);
    return cursor.region(s.block(), s.offset(), (int) s.length());
  }

  /** A read that continues where the last one ended moves the read-ahead along. */
  private void noteRead(long offset, int length) {
    if (nextSequential.getAndSet(offset + length) == offset) {
      readAhead(offset + length);
    }
  }

  /**
   * Asks for the pieces of the next {@link #READ_AHEAD_BYTES} from {@code from}, in steps of a piece,
   * so that a sequential reader finds them fetched (or on their way, several at once).
   */
  private void readAhead(long from) {
    long end = Math.min(file.size(), from + READ_AHEAD_BYTES);
    long start = Math.max(from, readAheadIssued.get());
    if (end - start < BlockFetcher.PIECE_BYTES && end < file.size()) {
      return;
    }
    if (start >= end) {
      return;
    }
    readAheadIssued.set(end);
    for (Segment s : file.segments(start, end - start)) {
      long first = s.offset() - s.offset() % BlockFetcher.PIECE_BYTES;
      for (long at = first; at < s.offset() + s.length(); at += BlockFetcher.PIECE_BYTES) {
        blocks.prefetch(s.block(), at, this::isOpen);
      }
    }
  }

  @Override
  public int write(ByteBuffer src, long offset) throws IOException {
    throw new ErrnoException(Errno.EROFS, file.name() + " is read-only");
  }

  @Override
  public TimedAttributes getattr() {
    return attributes;
  }

  @Override
  public void truncate(long size) throws IOException {
    throw new ErrnoException(Errno.EROFS, file.name() + " is read-only");
  }

  @Override
  public void release() throws IOException {
    open = false;
    cursor.close();
  }

  /** Read-ahead of a released file is dropped where it has not reached the network yet. */
  private boolean isOpen() {
    return open;
  }

  @Override
  public PageCache pageCache() {
    return PageCache.KEEP;
  }
}
