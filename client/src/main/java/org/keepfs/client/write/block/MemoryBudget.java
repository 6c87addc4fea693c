package org.keepfs.client.write.block;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The memory write buffers may hold, and that memory itself: native (off-heap) pieces carved from
 * 1 MiB chunks of one shared arena. At most {@code limit / 1 MiB} chunks are ever made; they are
 * reused for the writer's whole life and freed together by {@link #close}. A buffer that cannot get a
 * piece goes to the spool instead, so buffers never hold more than the limit.
 *
 * <p>Why native: on the heap, 1 MiB buffers are humongous objects in G1's 1 MiB regions (two regions
 * each when the heap is under 2 GiB), and buffers released faster than the collector returns them
 * grow the process far past the limit. Here the buffer memory is exactly the chunks made, whatever
 * the collector does, and the heap holds only the tree and request garbage.
 *
 * <p>Pieces are powers of two from 16 KiB to 1 MiB, so a thousand small files cost kilobytes each,
 * not a chunk each. Pieces under 1 MiB are slots of a chunk split into equal slots ({@link Slab}); a
 * chunk whose slots are all free again is whole again.
 */
public final class MemoryBudget implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MemoryBudget.class);

  /** The default limit: 256 MiB. */
  public static final long DEFAULT_LIMIT = 256L << 20;
  /** The largest piece, and the unit the arena is carved in. */
  static final int CHUNK = 1 << 20;
  /** The smallest piece (a new buffer's first). */
  static final int SMALLEST = 16 << 10;
  private static final int SMALL_CLASSES = Integer.numberOfTrailingZeros(CHUNK) - Integer.numberOfTrailingZeros(SMALLEST);

  private final long limit;
  private final int maxChunks;
  private final Arena arena = Arena.ofShared();
  private final ArrayDeque<MemorySegment> freeChunks = new ArrayDeque<>();
  /** Per small size class: the slabs that have a free slot. */
  private final List<ArrayDeque<Slab>> slabsWithRoom = new ArrayList<>();
  private int chunksMade;
  private long used;
  private long peak;
  private boolean closed;

  public MemoryBudget(long limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("the memory limit must not be negative, got " + limit);
    }
    this.limit = limit;
    this.maxChunks = (int) Math.min(Integer.MAX_VALUE, limit / CHUNK);
    for (int i = 0; i < SMALL_CLASSES; i++) {
      slabsWithRoom.add(new ArrayDeque<>());
    }
  }

  /** A piece of {@code size} bytes (a power of two from 16 KiB to 1 MiB), or null when the limit is reached. */
  synchronized Piece take(int size) {
    if (Integer.bitCount(size) != 1 || size < SMALLEST || size > CHUNK) {
      throw new IllegalArgumentException("a buffer piece is a power of two from " + SMALLEST + " to " + CHUNK + ", not " + size);
    }
    if (closed) {
      return null;
    }
    Piece p;
    if (size == CHUNK) {
      MemorySegment chunk = chunk();
      if (chunk == null) {
        return null;
      }
      p = new Piece(chunk, null, 0);
    } else {
      ArrayDeque<Slab> room = slabsWithRoom.get(sizeClass(size));
      Slab slab = room.peekFirst();
      if (slab == null) {
        MemorySegment chunk = chunk();
        if (chunk == null) {
          return null;
        }
        slab = new Slab(chunk, size);
        room.addFirst(slab);
      }
      p = slab.take();
      if (slab.full()) {
        room.removeFirst();
      }
    }
    used += size;
    peak = Math.max(peak, used);
    return p;
  }

  /**
   * Waits until a piece is given back or {@code millis} pass (a writer out of memory while uploads that
   * will free some are in flight waits here instead of spilling to disk).
   */
  public synchronized void awaitGiveBack(long millis) throws InterruptedException {
    if (!closed) {
      wait(millis);
    }
  }

  /** Takes back a piece; its bytes must not be used any more. */
  synchronized void give(Piece p) {
    used -= p.segment().byteSize();
    notifyAll();
    if (closed) {
      return;
    }
    Slab slab = p.slab();
    if (slab == null) {
      freeChunks.push(p.segment());
      return;
    }
    ArrayDeque<Slab> room = slabsWithRoom.get(sizeClass(slab.slotSize));
    boolean wasFull = slab.full();
    slab.give(p.slot());
    if (slab.empty()) {
      if (!wasFull) {
        room.remove(slab);
      }
      freeChunks.push(slab.chunk);
    } else if (wasFull) {
      room.addFirst(slab);
    }
  }

  private MemorySegment chunk() {
    MemorySegment c = freeChunks.poll();
    if (c == null && chunksMade < maxChunks) {
      c = arena.allocate(CHUNK);
      chunksMade++;
    }
    return c;
  }

  private static int sizeClass(int size) {
    return Integer.numberOfTrailingZeros(size) - Integer.numberOfTrailingZeros(SMALLEST);
  }

  /** Bytes handed to buffers now. */
  public synchronized long used() {
    return used;
  }

  /** The most that buffers held at once. */
  public synchronized long peak() {
    return peak;
  }

  /** Native memory the budget has taken from the system (in use or free for reuse); never above the limit. */
  public synchronized long held() {
    return (long) chunksMade * CHUNK;
  }

  public long limit() {
    return limit;
  }

  /** Frees all the memory; buffers still holding pieces must not be used afterwards (their bytes are gone). */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      freeChunks.clear();
      slabsWithRoom.forEach(ArrayDeque::clear);
    }
    try {
      arena.close();
    } catch (IllegalStateException e) {
      LOG.warn("write buffer memory still in use at close; it is freed when the process ends: {}", e.getMessage());
    }
  }

  /** A piece of buffer memory: a whole chunk ({@code slab} null) or slot {@code slot} of a slab. */
  record Piece(MemorySegment segment, Slab slab, int slot) {}

  /** A chunk cut into equal slots; remembers which are free. Guarded by the budget's monitor. */
  static final class Slab {
    private final MemorySegment chunk;
    private final int slotSize;
    private final int[] free;
    private int freeCount;

    Slab(MemorySegment chunk, int slotSize) {
      this.chunk = chunk;
      this.slotSize = slotSize;
      this.free = new int[CHUNK / slotSize];
      for (int i = 0; i < free.length; i++) {
        free[i] = free.length - 1 - i;
      }
      this.freeCount = free.length;
    }

    Piece take() {
      int slot = free[--freeCount];
      return new Piece(chunk.asSlice((long) slot * slotSize, slotSize), this, slot);
    }

    void give(int slot) {
      free[freeCount++] = slot;
    }

    boolean full() {
      return freeCount == 0;
    }

    boolean empty() {
      return freeCount == free.length;
    }
  }
}
