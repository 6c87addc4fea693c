package org.keepfs.client.write.block;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Buffer bytes in native memory from the {@link MemoryBudget}: the first piece starts at 16 KiB and
 * doubles (copied into the next size) up to 1 MiB, then whole 1 MiB chunks follow. So when there is
 * more than one piece, every piece is a whole chunk, and byte {@code p} is in piece {@code p / CHUNK}.
 * {@link #tryAppend} returns false when the budget has no piece left.
 */
final class NativeBytes implements BlockBytes {
  private static final int CHUNK = MemoryBudget.CHUNK;
  /** Bytes copied at a time into an output stream (a heap array under G1's humongous size). */
  private static final int STREAM_COPY = 64 << 10;

  private final MemoryBudget budget;
  private final List<MemoryBudget.Piece> pieces = new ArrayList<>();
  private long size;

  NativeBytes(MemoryBudget budget) {
    this.budget = budget;
  }

  @Override
  public long size() {
    return size;
  }

  /** Appends all of {@code src}, or nothing and false when the memory budget is spent. */
  boolean tryAppend(ByteBuffer src) {
    int total = src.remaining();
    if (!ensureCapacity(size + total)) {
      return false;
    }
    MemorySegment from = MemorySegment.ofBuffer(src);
    long done = 0;
    while (done < total) {
      MemorySegment piece = pieces.get((int) (size / CHUNK)).segment();
      long at = size % CHUNK;
      long n = Math.min(total - done, piece.byteSize() - at);
      MemorySegment.copy(from, done, piece, at, n);
      done += n;
      size += n;
    }
    src.position(src.limit());
    return true;
  }

  @Override
  public void append(ByteBuffer src) throws IOException {
    if (!tryAppend(src)) {
      throw new IOException("the memory limit of " + budget.limit() + " bytes is spent");
    }
  }

  private boolean ensureCapacity(long needed) {
    long capacity = capacity();
    if (needed <= capacity) {
      return true;
    }
    if (capacity < CHUNK) {
      long want = Math.min(CHUNK, Math.max(needed, Math.max(MemoryBudget.SMALLEST, 2 * capacity)));
      MemoryBudget.Piece bigger = budget.take((int) Math.min(CHUNK, Long.highestOneBit(want - 1) << 1));
      if (bigger == null) {
        return false;
      }
      if (pieces.isEmpty()) {
        pieces.add(bigger);
      } else {
        MemoryBudget.Piece old = pieces.getFirst();
        MemorySegment.copy(old.segment(), 0, bigger.segment(), 0, size);
        pieces.set(0, bigger);
        budget.give(old);
      }
      if (needed <= CHUNK) {
        return true;
      }
    }
    long more = (needed - capacity() + CHUNK - 1) / CHUNK;
    List<MemoryBudget.Piece> added = new ArrayList<>();
    for (long i = 0; i < more; i++) {
      MemoryBudget.Piece p = budget.take(CHUNK);
      if (p == null) {
        added.forEach(budget::give);
        return false;
      }
      added.add(p);
    }
    pieces.addAll(added);
    return true;
  }

  private long capacity() {
    return pieces.size() == 1 ? pieces.getFirst().segment().byteSize() : (long) pieces.size() * CHUNK;
  }

  @Override
  public void read(long position, ByteBuffer dst) {
    MemorySegment to = MemorySegment.ofBuffer(dst);
    long total = to.byteSize();
    long done = 0;
    long p = position;
    while (done < total) {
      MemorySegment piece = pieces.get((int) (p / CHUNK)).segment();
      long at = p % CHUNK;
      long n = Math.min(total - done, piece.byteSize() - at);
      MemorySegment.copy(piece, at, to, done, n);
      done += n;
      p += n;
    }
    dst.position(dst.limit());
  }

  @Override
  public void forEachBuffer(BufferSink sink) throws IOException {
    long left = size;
    for (MemoryBudget.Piece piece : pieces) {
      long n = Math.min(left, piece.segment().byteSize());
      sink.accept(piece.segment().asSlice(0, n).asByteBuffer().asReadOnlyBuffer());
      left -= n;
      if (left == 0) {
        break;
      }
    }
  }

  @Override
  public void writeTo(OutputStream out) throws IOException {
    byte[] copy = new byte[(int) Math.min(STREAM_COPY, Math.max(size, 1))];
    long left = size;
    for (MemoryBudget.Piece piece : pieces) {
      MemorySegment s = piece.segment();
      for (long at = 0; at < s.byteSize() && left > 0; ) {
        int n = (int) Math.min(copy.length, Math.min(left, s.byteSize() - at));
        MemorySegment.copy(s, ValueLayout.JAVA_BYTE, at, copy, 0, n);
        out.write(copy, 0, n);
        at += n;
        left -= n;
      }
    }
  }

  @Override
  public void release() {
    pieces.forEach(budget::give);
    pieces.clear();
  }
}
