package org.keepfs.client.write.block;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Buffer bytes on the heap, in chunks of 1 MiB; the first chunk starts small and doubles, so a
 * thousand small files cost kilobytes, not a thousand megabytes. Every byte of capacity is reserved
 * from the {@link MemoryBudget}; {@link #append} returns false when the budget cannot cover it.
 */
final class HeapBytes implements BlockBytes {
  static final int CHUNK = 1 << 20;
  private static final int FIRST_CAPACITY = 16 << 10;

  private final MemoryBudget budget;
  private final List<byte[]> chunks = new ArrayList<>();
  private long size;
  private long reserved;

  HeapBytes(MemoryBudget budget) {
    this.budget = budget;
  }

  @Override
  public long size() {
    return size;
  }

  /** Appends all of {@code src}, or nothing and false when the memory budget is spent. */
  boolean tryAppend(ByteBuffer src) {
    if (!ensureCapacity(size + src.remaining())) {
      return false;
    }
    while (src.hasRemaining()) {
      byte[] chunk = chunks.get((int) (size / CHUNK));
      int at = (int) (size % CHUNK);
      int n = Math.min(src.remaining(), chunk.length - at);
      src.get(chunk, at, n);
      size += n;
    }
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
    if (chunks.size() <= 1 && needed <= CHUNK) {
      int grown = (int) Math.min(CHUNK, Math.max(needed, Math.max(FIRST_CAPACITY, 2 * capacity)));
      grown = (int) Math.min(CHUNK, Long.highestOneBit(grown - 1) << 1);
      if (!budget.tryReserve(grown - capacity)) {
        return false;
      }
      reserved += grown - capacity;
      byte[] first = chunks.isEmpty() ? new byte[grown] : Arrays.copyOf(chunks.get(0), grown);
      if (chunks.isEmpty()) {
        chunks.add(first);
      } else {
        chunks.set(0, first);
      }
      return true;
    }
    if (chunks.size() == 1 && chunks.get(0).length < CHUNK) {
      if (!budget.tryReserve(CHUNK - capacity)) {
        return false;
      }
      reserved += CHUNK - capacity;
      byte[] full = budget.chunk();
      System.arraycopy(chunks.get(0), 0, full, 0, (int) size);
      chunks.set(0, full);
    }
    long more = (needed - capacity() + CHUNK - 1) / CHUNK;
    if (!budget.tryReserve(more * CHUNK)) {
      return false;
    }
    reserved += more * CHUNK;
    for (long i = 0; i < more; i++) {
      chunks.add(budget.chunk());
    }
    return true;
  }

  private long capacity() {
    return chunks.isEmpty() ? 0 : chunks.size() == 1 ? chunks.get(0).length : (long) chunks.size() * CHUNK;
  }

  @Override
  public void read(long position, ByteBuffer dst) {
    long p = position;
    while (dst.hasRemaining()) {
      byte[] chunk = chunks.get((int) (p / CHUNK));
      int at = (int) (p % CHUNK);
      int n = Math.min(dst.remaining(), chunk.length - at);
      dst.put(chunk, at, n);
      p += n;
    }
  }

  @Override
  public void writeTo(OutputStream out) throws IOException {
    long left = size;
    for (byte[] chunk : chunks) {
      int n = (int) Math.min(left, chunk.length);
      out.write(chunk, 0, n);
      left -= n;
      if (left == 0) {
        break;
      }
    }
  }

  @Override
  public void release() {
    budget.release(reserved);
    reserved = 0;
    chunks.forEach(budget::recycle);
    chunks.clear();
  }
}
