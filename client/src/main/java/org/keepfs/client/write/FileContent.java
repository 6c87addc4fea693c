package org.keepfs.client.write;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.keepfs.client.write.block.BlockRef;
import org.keepfs.client.write.block.BufferBlock;
import org.keepfs.client.write.block.StoredBlock;
import org.keepfs.manifest.Segment;

/**
 * A file's bytes as extents keyed by file offset, covering {@code [0, size)} without gaps. Every write
 * appends to the file's own writable buffer block and patches the extents, so the extents always say
 * where each byte is. Not thread-safe: its {@link FileNode}'s lock guards it.
 */
final class FileContent {
  /** A full buffer with at least this share of overwritten bytes is compacted instead of uploaded. */
  private static final int COMPACT_WHEN_DEAD_DIVISOR = 4;
  /** A buffer at least this large is uploaded early when memory runs out, instead of waiting to fill. */
  private static final long EARLY_BLOCK_MIN = 8L << 20;
  /** How long one wait for memory lasts before the writer looks again (uploads may have finished). */
  private static final long MEMORY_WAIT_MILLIS = 50;
  private static final ByteBuffer ZEROS = ByteBuffer.allocate(1 << 16).asReadOnlyBuffer();

  private final TreeMap<Long, Extent> extents = new TreeMap<>();
  private long size;
  private BufferBlock current;

  static FileContent of(List<Segment> segments) {
    return of(segments, StoredBlock::new);
  }

  static FileContent of(List<Segment> segments, java.util.function.Function<org.keepfs.locator.Locator, BlockRef> blocks) {
    FileContent c = new FileContent();
    for (Segment s : segments) {
      c.extents.put(c.size, new Extent(blocks.apply(s.block()), s.offset(), s.length()));
      c.size += s.length();
    }
    return c;
  }

  long size() {
    return size;
  }

  /** The extents in file order. */
  List<Extent> extents() {
    return new ArrayList<>(extents.values());
  }

  /** Writes all of {@code src} at {@code position}; a gap after the end is filled with zeros. */
  void write(ByteBuffer src, long position, WriterContext ctx) throws IOException {
    if (position > size) {
      writeZeros(size, position - size, ctx);
    }
    long pos = position;
    while (src.hasRemaining()) {
      if (current == null || current.state() != BufferBlock.State.WRITABLE || current.room() == 0) {
        current = ctx.allocator().allocate();
      }
      int n = (int) Math.min(src.remaining(), current.room());
      ByteBuffer part = src.slice(src.position(), n);
      long at = current.appendInMemory(part);
      if (at < 0) {
        if (current.size() < EARLY_BLOCK_MIN && ctx.pipeline().inFlight() == 0) {
          at = current.append(part); // nothing in flight will free memory: spill to the spool
        } else {
          uploadEarlyOrWait(ctx);
          continue;
        }
      }
      src.position(src.position() + n);
      place(pos, new Extent(current, at, n));
      pos += n;
      size = Math.max(size, pos);
      if (current.room() == 0) {
        finishCurrent(ctx);
      }
    }
  }

  /**
   * Out of memory: rather than spill to disk (and read it back to upload), send the current buffer
   * early when it is worth a block, or else wait for the uploads in flight to free memory. Several files
   * written at once each hold a filling buffer; without this, their buffers and the uploads in flight
   * outgrow the limit together and much of the data goes through the spool.
   */
  private void uploadEarlyOrWait(WriterContext ctx) throws IOException {
    if (current.size() >= EARLY_BLOCK_MIN) {
      BufferBlock early = current;
      current = null;
      ctx.pipeline().submit(early);
      return;
    }
    try {
      ctx.allocator().budget().awaitGiveBack(MEMORY_WAIT_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while waiting for write buffer memory");
    }
  }

  private void writeZeros(long position, long length, WriterContext ctx) throws IOException {
    long left = length;
    long pos = position;
    while (left > 0) {
      ByteBuffer z = ZEROS.duplicate();
      z.limit((int) Math.min(left, z.capacity()));
      left -= z.remaining();
      long at = pos;
      pos += z.remaining();
      write(z, at, ctx);
    }
  }

  /** Sets the length: cuts the extents, or appends zeros. */
  void truncate(long newSize, WriterContext ctx) throws IOException {
    if (newSize < size) {
      split(newSize);
      extents.tailMap(newSize, true).clear();
      size = newSize;
    } else if (newSize > size) {
      writeZeros(size, newSize - size, ctx);
    }
  }

  /** Reads from {@code position} until {@code dst} is full or the file ends; returns the count. */
  int read(ByteBuffer dst, long position, WriterContext ctx) throws IOException {
    if (position >= size || !dst.hasRemaining()) {
      return 0;
    }
    int want = (int) Math.min(dst.remaining(), size - position);
    ByteBuffer out = dst.slice(dst.position(), want);
    long pos = position;
    Long start = extents.floorKey(position);
    for (Map.Entry<Long, Extent> e : extents.tailMap(start, true).entrySet()) {
      if (!out.hasRemaining()) {
        break;
      }
      Extent x = e.getValue();
      long skip = pos - e.getKey();
      int n = (int) Math.min(x.length() - skip, out.remaining());
      ByteBuffer piece = out.slice(out.position(), n);
      readBlock(x.block(), x.offset() + skip, piece, ctx);
      out.position(out.position() + n);
      pos += n;
    }
    dst.position(dst.position() + want);
    return want;
  }

  private static void readBlock(BlockRef block, long offset, ByteBuffer dst, WriterContext ctx) throws IOException {
    switch (block) {
      case StoredBlock s -> ctx.reader().read(s.locator(), offset, dst);
      case BufferBlock b -> {
        if (!b.readIfHeld(offset, dst)) {
          ctx.reader().read(b.locator(), offset, dst);
        }
      }
    }
  }

  /** Replaces bytes {@code [pos, pos + x.length)} with {@code x}, merging it into the extent before when it continues it. */
  private void place(long pos, Extent x) {
    long end = pos + x.length();
    split(pos);
    split(end);
    extents.subMap(pos, true, end, false).clear();
    Map.Entry<Long, Extent> before = extents.lowerEntry(pos);
    if (before != null) {
      Extent b = before.getValue();
      if (before.getKey() + b.length() == pos && b.block() == x.block() && b.offset() + b.length() == x.offset()) {
        extents.put(before.getKey(), new Extent(b.block(), b.offset(), b.length() + x.length()));
        return;
      }
    }
    extents.put(pos, x);
  }

  /** Makes {@code at} the start of an extent (when it falls inside one). */
  private void split(long at) {
    Map.Entry<Long, Extent> e = extents.floorEntry(at);
    if (e == null || e.getKey() == at) {
      return;
    }
    Extent x = e.getValue();
    long inside = at - e.getKey();
    if (inside < x.length()) {
      extents.put(e.getKey(), x.slice(0, inside));
      extents.put(at, x.slice(inside, x.length() - inside));
    }
  }

  /** Bytes of the file held in {@code block}. */
  long liveBytesIn(BufferBlock block) {
    long n = 0;
    for (Extent x : extents.values()) {
      if (x.block() == block) {
        n += x.length();
      }
    }
    return n;
  }

  /**
   * The current buffer is full: upload it, or first squeeze out its overwritten bytes when they are a
   * large share (so overwritten data is not uploaded, and random writes do not fill Keep with garbage).
   */
  private void finishCurrent(WriterContext ctx) throws IOException {
    BufferBlock full = current;
    long live = liveBytesIn(full);
    if (full.size() - live >= full.size() / COMPACT_WHEN_DEAD_DIVISOR) {
      Packer packer = new Packer(ctx);
      moveInto(full, packer);
      current = packer.target();
      full.discard();
      return;
    }
    current = null;
    ctx.pipeline().submit(full);
  }

  /** Copies this file's live bytes of {@code from} into {@code packer} and points the extents there. */
  void moveInto(BufferBlock from, Packer packer) throws IOException {
    ByteBuffer copy = ByteBuffer.allocate(256 << 10); // under G1's humongous size
    for (Map.Entry<Long, Extent> e : new ArrayList<>(extents.entrySet())) {
      Extent x = e.getValue();
      if (x.block() != from) {
        continue;
      }
      long key = e.getKey();
      extents.remove(key);
      for (long done = 0; done < x.length(); ) {
        copy.clear().limit((int) Math.min(copy.capacity(), x.length() - done));
        if (!from.readIfHeld(x.offset() + done, copy)) {
          throw new IllegalStateException("buffer block " + from.id() + " no longer holds its bytes");
        }
        copy.flip();
        done += copy.remaining();
        for (Extent piece : packer.append(copy)) {
          place(key, piece);
          key += piece.length();
        }
      }
    }
  }

  /** The writable buffer this file appends to, if any. */
  BufferBlock current() {
    return current;
  }

  /** Stops appending to the current buffer (the next write starts a new one). */
  void detachCurrent() {
    current = null;
  }

  /** The buffer blocks the file's extents point at. */
  Set<BufferBlock> buffers() {
    Set<BufferBlock> out = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    for (Extent x : extents.values()) {
      if (x.block() instanceof BufferBlock b) {
        out.add(b);
      }
    }
    if (current != null) {
      out.add(current);
    }
    return out;
  }
}
