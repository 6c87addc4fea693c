package org.keepfs.client.cache;

import org.keepfs.client.testing.MutableClock;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keepfs.locator.Locator;

class BlockCacheTest {
  @TempDir Path root;
  // Starts at the wall clock: a rescan orders entries by file modification times, which are wall-clock.
  private final MutableClock clock = new MutableClock(Instant.now());

  private BlockCache open(long capacity) throws IOException {
    return BlockCache.open(CacheOptions.of(root, capacity).withClock(clock).withFsync(false));
  }

  static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  static String md5(byte[] b) {
    return HexFormat.of().formatHex(PieceFileFormat.md5(ByteBuffer.wrap(b)));
  }

  static Locator locatorOf(byte[] block) {
    return Locator.of(md5(block), block.length);
  }

  private static byte[] readAll(BlockCache cache, PieceKey key) throws IOException {
    ByteBuffer dst = ByteBuffer.allocate(key.length());
    assertEquals(key.length(), cache.read(key, 0, dst), "a hit returns the whole piece");
    return dst.array();
  }

  @Test
  void aWholeBlockIsStoredVerifiedAndReadPositionally() throws IOException {
    BlockCache cache = open(10 << 20);
    byte[] block = random(300_000, 1);
    PieceKey key = PieceKey.wholeBlock(locatorOf(block));
    assertTrue(cache.insert(key, ByteBuffer.wrap(block), key.hash()));
    try (CachedPiece piece = cache.open(key).orElseThrow()) {
      ByteBuffer dst = ByteBuffer.allocateDirect(1000);
      assertEquals(1000, piece.read(dst, 123_456));
      byte[] got = new byte[1000];
      dst.flip().get(got);
      assertArrayEquals(Arrays.copyOfRange(block, 123_456, 124_456), got);
      ByteBuffer tail = ByteBuffer.allocate(500);
      assertEquals(100, piece.read(tail, 299_900), "a read stops at the end of the piece, never in the trailer");
    }
    CacheStats s = cache.stats();
    assertEquals(1, s.hits());
    assertEquals(1, s.inserts());
    assertEquals(1100, s.bytesServed());
    assertEquals(300_000 + BlockCache.TRAILER_BYTES, s.bytes());
  }

  @Test
  void anOpenPieceStaysReadableUntilItsLastReferenceIsGivenBackEvenOnceEvicted() throws IOException {
    BlockCache cache = open(10 << 20);
    byte[] block = random(200_000, 11);
    PieceKey key = PieceKey.wholeBlock(locatorOf(block));
    assertTrue(cache.insert(key, ByteBuffer.wrap(block), key.hash()));
    CachedPiece piece = cache.open(key).orElseThrow();
    assertTrue(piece.descriptor() >= 0, "opened through the C library, so its descriptor can be handed on");
    Path fd = Path.of("/proc/self/fd/" + piece.descriptor());
    Path file = Files.readSymbolicLink(fd);
    assertTrue(piece.retain());
    cache.remove(key);
    piece.close();
    ByteBuffer dst = ByteBuffer.allocate(1000);
    assertEquals(1000, piece.read(dst, 5000), "one reference left: still open, though the entry is gone");
    assertArrayEquals(Arrays.copyOfRange(block, 5000, 6000), dst.array());
    try (FileChannel ch = FileChannel.open(fd, StandardOpenOption.READ)) {
      assertEquals(block.length + BlockCache.TRAILER_BYTES, ch.size(), "the descriptor is the piece's file");
    }
    piece.close();
    assertFalse(piece.retain(), "closed: no reference can be added");
    assertThrows(IOException.class, () -> piece.read(ByteBuffer.allocate(10), 0));
    assertFalse(Files.exists(fd) && Files.readSymbolicLink(fd).equals(file), "the descriptor is closed with the last reference");
    assertThrows(IllegalStateException.class, piece::close);
  }

  @Test
  void piecesOfABlockAreKeyedByOffsetAndCheckedAgainstTheirOwnDigest() throws IOException {
    BlockCache cache = open(10 << 20);
    byte[] block = random(2_500_000, 2);
    Locator loc = locatorOf(block);
    PieceKey last = PieceKey.aligned(loc, 2_400_000, 1 << 20);
    assertEquals(new PieceKey(loc.hash(), 2_500_000, 2 << 20, 2_500_000 - (2 << 20)), last);
    byte[] piece = Arrays.copyOfRange(block, 2 << 20, 2_500_000);
    assertTrue(cache.insert(last, ByteBuffer.wrap(piece), md5(piece)));
    assertArrayEquals(piece, readAll(cache, last));
    assertFalse(cache.contains(PieceKey.aligned(loc, 0, 1 << 20)), "other pieces are separate entries");
    assertEquals(-1, cache.read(PieceKey.wholeBlock(loc), 0, ByteBuffer.allocate(10)));
    assertEquals(1, cache.stats().misses());
  }

  @Test
  void dataWithTheWrongDigestOrLengthIsRefusedAndNothingIsStored() throws IOException {
    BlockCache cache = open(10 << 20);
    byte[] block = random(1000, 3);
    PieceKey key = PieceKey.wholeBlock(locatorOf(block));
    byte[] tampered = block.clone();
    tampered[10] ^= 1;
    PieceRejectedException bad = assertThrows(PieceRejectedException.class, () -> cache.insert(key, ByteBuffer.wrap(tampered), key.hash()));
    assertTrue(bad.getMessage().contains("expected " + key.hash()), bad.getMessage());
    PieceRejectedException shortData = assertThrows(PieceRejectedException.class,
        () -> cache.insert(key, ByteBuffer.wrap(block, 0, 999), key.hash()));
    assertTrue(shortData.getMessage().contains("got 999 bytes"), shortData.getMessage());
    assertThrows(PieceRejectedException.class, () -> cache.insert(key, ByteBuffer.wrap(block), md5(new byte[0])));
    assertFalse(cache.contains(key));
    assertEquals(3, cache.stats().rejected());
    try (var tmp = Files.list(root.resolve("tmp"))) {
      assertEquals(0, tmp.count(), "no temporary file is left behind");
    }
  }

  @Test
  void aCorruptFileIsDetectedOnFirstOpenInANewProcessRemovedAndReportedAsAMiss() throws IOException {
    byte[] block = random(200_000, 4);
    PieceKey key = PieceKey.wholeBlock(locatorOf(block));
    BlockCache first = open(10 << 20);
    first.insert(key, ByteBuffer.wrap(block), key.hash());
    Path file = first.pathOf(key);
    flipByte(file, 150_000);

    BlockCache restarted = open(10 << 20);
    assertEquals(1, restarted.stats().entries(), "the scan indexes by name and size; content is checked on use");
    assertTrue(restarted.open(key).isEmpty(), "corrupt bytes are never served");
    assertFalse(Files.exists(file), "the corrupt file is removed");
    assertEquals(1, restarted.stats().corruptDropped());
    assertEquals(1, restarted.stats().misses());
    assertTrue(restarted.insert(key, ByteBuffer.wrap(block), key.hash()), "it can be fetched and stored again");
    assertArrayEquals(block, readAll(restarted, key));
  }

  @Test
  void aDamagedTrailerIsCaughtToo() throws IOException {
    byte[] piece = random(5000, 5);
    Locator loc = Locator.of(md5(random(10_000, 6)), 10_000);
    PieceKey key = new PieceKey(loc.hash(), 10_000, 5000, 5000);
    BlockCache first = open(1 << 20);
    first.insert(key, ByteBuffer.wrap(piece), md5(piece));
    flipByte(first.pathOf(key), 5000 + 3);
    assertTrue(open(1 << 20).open(key).isEmpty());
  }

  @Test
  void aFileCutShortIsDroppedByTheScanAndOnUse() throws IOException {
    byte[] a = random(4000, 7);
    byte[] b = random(4000, 8);
    PieceKey ka = PieceKey.wholeBlock(locatorOf(a));
    PieceKey kb = PieceKey.wholeBlock(locatorOf(b));
    BlockCache cache = open(1 << 20);
    cache.insert(ka, ByteBuffer.wrap(a), ka.hash());
    cache.insert(kb, ByteBuffer.wrap(b), kb.hash());
    truncate(cache.pathOf(kb), 100);
    assertTrue(cache.open(kb).isEmpty(), "same process, already verified: the size check still catches it");
    truncate(cache.pathOf(ka), 100);
    BlockCache restarted = open(1 << 20);
    assertEquals(0, restarted.stats().entries());
    assertEquals(1, restarted.stats().corruptDropped());
    assertFalse(Files.exists(cache.pathOf(ka)));
  }

  @Test
  void entriesSurviveARestart() throws IOException {
    BlockCache first = open(10 << 20);
    byte[][] blocks = new byte[5][];
    for (int i = 0; i < blocks.length; i++) {
      blocks[i] = random(10_000 + i, 100 + i);
      PieceKey k = PieceKey.wholeBlock(locatorOf(blocks[i]));
      first.insert(k, ByteBuffer.wrap(blocks[i]), k.hash());
    }
    BlockCache second = open(10 << 20);
    assertEquals(5, second.stats().entries());
    for (byte[] block : blocks) {
      assertArrayEquals(block, readAll(second, PieceKey.wholeBlock(locatorOf(block))));
    }
    assertEquals(5, second.stats().hits());
  }

  @Test
  void theLeastRecentlyUsedEntryIsEvictedFirst() throws IOException {
    long entry = 1000 + BlockCache.TRAILER_BYTES;
    BlockCache cache = open(3 * entry);
    PieceKey[] keys = new PieceKey[4];
    for (int i = 0; i < 4; i++) {
      byte[] b = random(1000, 200 + i);
      keys[i] = PieceKey.wholeBlock(locatorOf(b));
      clock.advance(Duration.ofMinutes(1));
      if (i == 3) {
        cache.open(keys[0]).orElseThrow().close();
      }
      cache.insert(keys[i], ByteBuffer.wrap(b), keys[i].hash());
    }
    assertTrue(cache.contains(keys[0]), "used just before the insert");
    assertFalse(cache.contains(keys[1]), "least recently used");
    assertTrue(cache.contains(keys[2]));
    assertTrue(cache.contains(keys[3]));
    CacheStats s = cache.stats();
    assertEquals(1, s.evictions());
    assertEquals(entry, s.bytesEvicted());
    assertEquals(0, s.thrashEvictions(), "the evicted entry was minutes old");
    assertEquals(3 * entry, s.bytes());
  }

  @Test
  void evictingWhatWasJustWrittenCountsAsThrash() throws IOException {
    BlockCache cache = open(2 * (1000 + BlockCache.TRAILER_BYTES));
    for (int i = 0; i < 6; i++) {
      byte[] b = random(1000, 300 + i);
      PieceKey k = PieceKey.wholeBlock(locatorOf(b));
      cache.insert(k, ByteBuffer.wrap(b), k.hash());
      clock.advance(Duration.ofSeconds(1));
    }
    assertEquals(4, cache.stats().evictions());
    assertEquals(4, cache.stats().thrashEvictions());
  }

  @Test
  void aPieceLargerThanTheCacheIsNotStored() throws IOException {
    BlockCache cache = open(1000);
    byte[] b = random(2000, 9);
    PieceKey k = PieceKey.wholeBlock(locatorOf(b));
    assertFalse(cache.insert(k, ByteBuffer.wrap(b), k.hash()));
    assertFalse(cache.contains(k));
  }

  @Test
  void twoInstancesOnOneDirectoryShareEntries() throws IOException {
    BlockCache a = open(10 << 20);
    BlockCache b = open(10 << 20);
    byte[] block = random(50_000, 10);
    PieceKey k = PieceKey.wholeBlock(locatorOf(block));
    a.insert(k, ByteBuffer.wrap(block), k.hash());
    assertArrayEquals(block, readAll(b, k), "the other instance finds the file on its miss path");
    assertEquals(1, b.stats().entries(), "and adopts it into its index");
    a.remove(k);
    assertTrue(b.open(k).isEmpty(), "a file removed by one instance is a miss for the other");
    assertEquals(0, b.stats().entries());
  }

  @Test
  void temporaryFilesOfDeadProcessesAreRemovedAtOpen() throws IOException {
    Files.createDirectories(root.resolve("tmp"));
    Path dead = Files.write(root.resolve("tmp/2147483646-1.tmp"), new byte[10]);
    Path ours = Files.write(root.resolve("tmp/" + ProcessHandle.current().pid() + "-999999.tmp"), new byte[10]);
    open(1 << 20);
    assertFalse(Files.exists(dead));
    assertTrue(Files.exists(ours), "a live process may still be writing it");
  }

  @Test
  void statsRenderAsOneLinePerCounter() throws IOException {
    BlockCache cache = open(1 << 20);
    cache.read(PieceKey.wholeBlock(locatorOf(new byte[] {1})), 0, ByteBuffer.allocate(1));
    String text = cache.stats().render("block_cache");
    assertTrue(text.startsWith("block_cache.hits 0\nblock_cache.misses 1\n"), text);
    assertTrue(text.endsWith("block_cache.capacity_bytes 1048576\n"), text);
    assertEquals(13, text.lines().count());
  }

  @Test
  void pieceKeysRejectImpossibleRangesWithTheNumbers() {
    String hash = md5(new byte[0]);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new PieceKey(hash, 100, 90, 20));
    assertTrue(e.getMessage().contains("90+20"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new PieceKey("XYZ", 100, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> PieceKey.aligned(Locator.of(hash, 100), 100, 64));
    PieceKey k = new PieceKey(hash, 100, 64, 36);
    assertEquals(k, PieceKey.parseFileName(k.fileName()));
    assertEquals(null, PieceKey.parseFileName(hash + "+100@064:36"), "only canonical names are entries");
    assertEquals(null, PieceKey.parseFileName("notes.txt"));
  }

  private static void flipByte(Path file, long position) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer one = ByteBuffer.allocate(1);
      ch.read(one, position);
      one.flip();
      byte b = one.get(0);
      ch.write(ByteBuffer.wrap(new byte[] {(byte) (b ^ 0x40)}), position);
    }
  }

  private static void truncate(Path file, long size) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(size);
    }
  }
}
