package org.keepfs.client.write.block;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The native buffer memory: its bound, its reuse, and the bytes of buffers built on it. */
class MemoryBudgetTest {
  private static final int MIB = 1 << 20;

  @Test
  void piecesStopAtTheLimitAndTheMemoryHeldNeverPassesIt() {
    try (MemoryBudget budget = new MemoryBudget(4L * MIB)) {
      List<MemoryBudget.Piece> taken = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        taken.add(assertPiece(budget.take(MIB)));
      }
      assertNull(budget.take(MIB), "a fifth chunk under a 4 MiB limit");
      assertNull(budget.take(MemoryBudget.SMALLEST), "a small piece needs a chunk too, and none is left");
      assertEquals(4L * MIB, budget.used());
      assertEquals(4L * MIB, budget.held());
      budget.give(taken.removeLast());
      assertEquals(3L * MIB, budget.used());
      assertNotNull(budget.take(MIB), "a chunk given back is handed out again");
      assertEquals(4L * MIB, budget.held(), "reused, not made again");
      assertEquals(4L * MIB, budget.peak());
    }
  }

  @Test
  void smallPiecesShareChunksAndTheirChunksAreWholeAgainWhenAllComeBack() {
    try (MemoryBudget budget = new MemoryBudget(2L * MIB)) {
      List<MemoryBudget.Piece> small = new ArrayList<>();
      MemoryBudget.Piece p;
      while ((p = budget.take(MemoryBudget.SMALLEST)) != null) {
        small.add(p);
      }
      assertEquals(2 * MIB / MemoryBudget.SMALLEST, small.size(), "two chunks of 16 KiB slots");
      assertEquals(2L * MIB, budget.held());
      MemoryBudget.Piece first = small.removeFirst();
      budget.give(first);
      assertNull(budget.take(MIB), "one free slot does not make a chunk");
      assertNotNull(budget.take(MemoryBudget.SMALLEST), "the free slot is handed out again");
      small.forEach(budget::give);
      assertEquals(MemoryBudget.SMALLEST, budget.used());
      assertNotNull(budget.take(MIB), "a chunk whose slots all came back is whole again");
      assertNull(budget.take(MIB), "the other chunk still holds one slot");
    }
  }

  @Test
  void sizesThatAreNotAPowerOfTwoBetween16KiBAnd1MiBAreRefused() {
    try (MemoryBudget budget = new MemoryBudget(4L * MIB)) {
      for (int bad : new int[] {0, 1000, 8 << 10, 3 << 14, 2 * MIB}) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> budget.take(bad));
        assertTrue(e.getMessage().contains(Integer.toString(bad)), e.getMessage());
      }
    }
  }

  @Test
  void aClosedBudgetHandsOutNothing() {
    MemoryBudget budget = new MemoryBudget(4L * MIB);
    MemoryBudget.Piece p = budget.take(MIB);
    budget.close();
    assertNull(budget.take(MIB));
    budget.give(p); // a buffer released after the writer closed: nothing to reuse, no error
    assertEquals(0, budget.used());
  }

  @Test
  void bufferBytesReadBackAcrossEveryGrowthStepAndPieceBoundary() throws IOException {
    try (MemoryBudget budget = new MemoryBudget(16L * MIB)) {
      NativeBytes bytes = new NativeBytes(budget);
      byte[] expected = new byte[5 * MIB + 12345];
      new Random(7).nextBytes(expected);
      int at = 0;
      int[] steps = {1, 100, 16 << 10, 20000, 70000, 131072, 300000, 131072 * 3 + 7};
      for (int i = 0; at < expected.length; i++) {
        int n = Math.min(steps[i % steps.length], expected.length - at);
        // direct and heap sources, like the FUSE front end's views and tests' arrays
        ByteBuffer src = i % 2 == 0 ? ByteBuffer.wrap(expected, at, n) : ByteBuffer.allocateDirect(n).put(expected, at, n).flip();
        assertTrue(bytes.tryAppend(src));
        assertFalse(src.hasRemaining());
        at += n;
        assertEquals(at, bytes.size());
      }
      assertTrue(budget.used() <= 6L * MIB, "5 MiB and a bit held in " + budget.used() + " bytes");

      byte[] read = new byte[expected.length];
      for (int p = 0; p < read.length; p += 99_999) {
        ByteBuffer dst = ByteBuffer.wrap(read, p, Math.min(99_999, read.length - p)).slice();
        bytes.read(p, dst);
        assertFalse(dst.hasRemaining());
      }
      assertArrayEquals(expected, read);

      ByteArrayOutputStream pieces = new ByteArrayOutputStream();
      bytes.forEachBuffer(b -> {
        byte[] copy = new byte[b.remaining()];
        b.get(copy);
        pieces.write(copy);
      });
      assertArrayEquals(expected, pieces.toByteArray());
      ByteArrayOutputStream streamed = new ByteArrayOutputStream();
      bytes.writeTo(streamed);
      assertArrayEquals(expected, streamed.toByteArray());

      bytes.release();
      assertEquals(0, budget.used());
    }
  }

  @Test
  void anAppendThatDoesNotFitTakesNothingAndChangesNothing() throws IOException {
    try (MemoryBudget budget = new MemoryBudget(2L * MIB)) {
      NativeBytes bytes = new NativeBytes(budget);
      assertTrue(bytes.tryAppend(ByteBuffer.wrap(new byte[MIB])));
      long used = budget.used();
      ByteBuffer tooBig = ByteBuffer.wrap(new byte[2 * MIB]);
      assertFalse(bytes.tryAppend(tooBig));
      assertEquals(2 * MIB, tooBig.remaining(), "nothing consumed");
      assertEquals(used, budget.used(), "the chunks taken for the failed append were given back");
      assertEquals(MIB, bytes.size());
      IOException e = assertThrows(IOException.class, () -> bytes.append(ByteBuffer.wrap(new byte[2 * MIB])));
      assertTrue(e.getMessage().contains("2097152"), e.getMessage());
    }
  }

  private static MemoryBudget.Piece assertPiece(MemoryBudget.Piece p) {
    assertNotNull(p);
    return p;
  }
}
