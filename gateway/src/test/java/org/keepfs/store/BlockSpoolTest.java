package org.keepfs.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keepfs.locator.Locator;

class BlockSpoolTest {
  @TempDir Path dir;

  static byte[] bytes(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  long filesInDir() throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.count();
    }
  }

  @Test
  void receivesInPiecesOfAnySizeAndChecksHashAndLength() throws Exception {
    byte[] body = bytes((20 << 20) + 17);
    String hash = Md5.hex(ByteBuffer.wrap(body));
    Path kept;
    try (BlockSpool spool = BlockSpool.open(dir, hash, body.length)) {
      int at = 0;
      int step = 7;
      while (at < body.length) {
        int n = Math.min(step, body.length - at);
        spool.write(ByteBuffer.wrap(body, at, n));
        at += n;
        step = step * 3 % 300_001 + 1;
      }
      assertEquals(Locator.of(hash, body.length), spool.finish());
      kept = spool.file();
      assertArrayEquals(body, Files.readAllBytes(kept));
    }
    assertFalse(Files.exists(kept));
    assertEquals(0, filesInDir());
  }

  @Test
  void refusesWrongHashShortLongAndOversizeBodiesAndLeavesNothing() throws Exception {
    byte[] body = bytes(1000);
    String hash = Md5.hex(ByteBuffer.wrap(body));
    try (BlockSpool spool = BlockSpool.open(dir, "0123456789abcdef0123456789abcdef", -1)) {
      spool.write(ByteBuffer.wrap(body));
      RejectedBlockException e = assertThrows(RejectedBlockException.class, spool::finish);
      assertEquals(RejectedBlockException.Reason.HASH_MISMATCH, e.reason());
      assertTrue(e.getMessage().contains(hash), e.getMessage());
    }
    try (BlockSpool spool = BlockSpool.open(dir, hash, 2000)) {
      spool.write(ByteBuffer.wrap(body));
      assertEquals(RejectedBlockException.Reason.LENGTH_MISMATCH,
          assertThrows(RejectedBlockException.class, spool::finish).reason());
    }
    try (BlockSpool spool = BlockSpool.open(dir, hash, 999)) {
      assertEquals(RejectedBlockException.Reason.LENGTH_MISMATCH,
          assertThrows(RejectedBlockException.class, () -> spool.write(ByteBuffer.wrap(body))).reason());
    }
    assertEquals(RejectedBlockException.Reason.TOO_LARGE, assertThrows(RejectedBlockException.class,
        () -> BlockSpool.open(dir, hash, Locator.MAX_BLOCK_SIZE + 1L)).reason());
    try (BlockSpool spool = BlockSpool.open(dir, hash, -1)) {
      ByteBuffer mib = ByteBuffer.allocate(1 << 20);
      for (int i = 0; i < 64; i++) {
        spool.write(mib.duplicate());
      }
      assertEquals(RejectedBlockException.Reason.TOO_LARGE,
          assertThrows(RejectedBlockException.class, () -> spool.write(ByteBuffer.allocate(1))).reason());
    }
    assertEquals(0, filesInDir());
  }

  @Test
  void aWrongHashOverManyStagingBuffersAndAnAbandonedUploadLeaveNothing() throws Exception {
    byte[] body = bytes((5 << 20) + 3);
    String hash = Md5.hex(ByteBuffer.wrap(body));
    body[body.length - 1] ^= 1; // the last byte differs from what the name promises
    try (BlockSpool spool = BlockSpool.open(dir, hash, body.length)) {
      for (int at = 0; at < body.length; at += 65_536) {
        spool.write(ByteBuffer.wrap(body, at, Math.min(65_536, body.length - at)));
      }
      RejectedBlockException e = assertThrows(RejectedBlockException.class, spool::finish);
      assertEquals(RejectedBlockException.Reason.HASH_MISMATCH, e.reason());
    }
    try (BlockSpool spool = BlockSpool.open(dir, hash, -1)) {
      // Closed while buffers may still be hashed and written: close waits for them, then deletes.
      spool.write(ByteBuffer.wrap(body, 0, 4 << 20));
    }
    assertEquals(0, filesInDir());
  }

  @Test
  void receivesNetworkStyleDirectBuffersOfAnySize() throws Exception {
    byte[] body = bytes((3 << 20) + 12_345);
    String hash = Md5.hex(ByteBuffer.wrap(body));
    ByteBuffer direct = ByteBuffer.allocateDirect(body.length).put(body).flip();
    try (BlockSpool spool = BlockSpool.open(dir, hash, body.length)) {
      int at = 0;
      int step = 1;
      while (at < body.length) {
        int n = Math.min(step, body.length - at);
        ByteBuffer chunk = direct.slice(at, n);
        spool.write(chunk);
        assertFalse(chunk.hasRemaining());
        at += n;
        step = step * 5 % 270_001 + 3;
      }
      assertEquals(Locator.of(hash, body.length), spool.finish());
      assertArrayEquals(body, Files.readAllBytes(spool.file()));
    }
    assertEquals(0, filesInDir());
  }
}
