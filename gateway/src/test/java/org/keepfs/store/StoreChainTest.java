package org.keepfs.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keepfs.locator.Locator;
import org.keepfs.store.local.BlockCache;
import org.keepfs.store.local.LocalDirectoryBlockStore;

class StoreChainTest {
  @TempDir Path dir;

  /**
   * A store in memory that counts the bytes it hands out and can be told to lie: the injected store
   * of the fault tests, a real implementation of the interface.
   */
  static class CountingStore implements BlockStore {
    final String id;
    final Integrity integrity;
    final Map<String, byte[]> blocks = new HashMap<>();
    final List<String> reads = new ArrayList<>();
    long bytesRead;

    CountingStore(String id, Integrity integrity) {
      this.id = id;
      this.integrity = integrity;
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public Integrity integrity() {
      return integrity;
    }

    @Override
    public OptionalLong sizeOf(String hash) {
      byte[] b = blocks.get(hash);
      return b == null ? OptionalLong.empty() : OptionalLong.of(b.length);
    }

    @Override
    public ByteBuffer read(Locator locator, long offset, int length) throws IOException {
      reads.add(locator.hash() + "@" + offset + "+" + length);
      byte[] b = blocks.get(locator.hash());
      if (b == null) {
        throw new BlockNotFoundException(id + " has no " + locator);
      }
      bytesRead += length;
      return ByteBuffer.wrap(Arrays.copyOfRange(b, (int) offset, (int) offset + length));
    }

    @Override
    public int put(Locator locator, Path verifiedContent) throws IOException {
      blocks.put(locator.hash(), Files.readAllBytes(verifiedContent));
      return 1;
    }
  }

  static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  static Locator locatorOf(byte[] b) {
    return Locator.of(Md5.hex(ByteBuffer.wrap(b)), b.length);
  }

  static byte[] array(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }

  @Test
  void aPieceOfAnS3StyleStoreMovesOnlyThePiece() throws Exception {
    byte[] block = bytes(Locator.MAX_BLOCK_SIZE, 1);
    Locator loc = locatorOf(block);
    CountingStore s3 = new CountingStore("s3", BlockStore.Integrity.CHECKED_RANGES);
    s3.blocks.put(loc.hash(), block);
    StoreChain chain = new StoreChain(List.of(s3), List.of(), Optional.empty(), dir);
    int mib = 1 << 20;
    long offset = 37L * mib + 12345;
    assertArrayEquals(Arrays.copyOfRange(block, (int) offset, (int) offset + mib), array(chain.read(loc, offset, mib)));
    assertEquals(mib, s3.bytesRead);
  }

  @Test
  void aLocalBlockIsHashedWholeOnceThenServedByRange() throws Exception {
    byte[] block = bytes(8 << 20, 2);
    Locator loc = locatorOf(block);
    LocalDirectoryBlockStore local = new LocalDirectoryBlockStore("local", dir.resolve("local"));
    Path file = dir.resolve("block");
    Files.write(file, block);
    local.put(loc, file);
    StoreChain chain = new StoreChain(List.of(local), List.of(), Optional.empty(), dir);
    int mib = 1 << 20;
    for (int i = 0; i < 8; i++) {
      assertArrayEquals(Arrays.copyOfRange(block, i * mib, (i + 1) * mib), array(chain.read(loc, (long) i * mib, mib)));
    }
    // Corrupting the file after it was verified in this process is outside what a per-process check
    // can see; a new chain (a restart) checks again and refuses it.
    block[100] ^= 1;
    Files.write(local.pathOf(loc.hash()), block);
    StoreChain restarted = new StoreChain(List.of(new LocalDirectoryBlockStore("local", dir.resolve("local"))), List.of(),
        Optional.empty(), dir);
    assertThrows(CorruptBlockException.class, () -> restarted.read(loc, 0, mib));
  }

  @Test
  void corruptBytesFromTheFirstStoreFallThroughToTheNext() throws Exception {
    byte[] block = bytes(5000, 3);
    Locator loc = locatorOf(block);
    CountingStore liar = new CountingStore("liar", BlockStore.Integrity.UNTRUSTED);
    byte[] bad = block.clone();
    bad[0] ^= 1;
    liar.blocks.put(loc.hash(), bad);
    CountingStore honest = new CountingStore("honest", BlockStore.Integrity.UNTRUSTED);
    honest.blocks.put(loc.hash(), block);
    StoreChain chain = new StoreChain(List.of(liar, honest), List.of(), Optional.empty(), dir);
    assertArrayEquals(Arrays.copyOfRange(block, 10, 20), array(chain.read(loc, 10, 10)));
    assertEquals(List.of(loc.hash() + "@0+5000"), liar.reads);

    CountingStore shortStore = new CountingStore("short", BlockStore.Integrity.UNTRUSTED);
    shortStore.blocks.put(loc.hash(), Arrays.copyOf(block, 4999));
    StoreChain onlyBad = new StoreChain(List.of(liar), List.of(), Optional.empty(), dir);
    CorruptBlockException e = assertThrows(CorruptBlockException.class, () -> onlyBad.read(loc, 0, 5000));
    assertTrue(e.getMessage().contains("liar: corrupt"), e.getMessage());
    assertThrows(CorruptBlockException.class,
        () -> new StoreChain(List.of(shortStore), List.of(), Optional.empty(), dir).read(loc, 0, 10));
  }

  @Test
  void hintedStoresAreTriedFirstInHintOrder() throws Exception {
    byte[] block = bytes(100, 4);
    Locator plain = locatorOf(block);
    CountingStore a = new CountingStore("a", BlockStore.Integrity.UNTRUSTED);
    CountingStore b = new CountingStore("b", BlockStore.Integrity.UNTRUSTED);
    CountingStore c = new CountingStore("c", BlockStore.Integrity.UNTRUSTED);
    for (CountingStore s : List.of(a, b, c)) {
      s.blocks.put(plain.hash(), block);
    }
    StoreChain chain = new StoreChain(List.of(a, b, c), List.of(), Optional.empty(), dir);
    assertEquals(List.of(c, b, a), chain.readOrder(Locator.parse(plain + "+Kc+K@b")));
    chain.read(Locator.parse(plain + "+K@c"), 0, 100);
    assertEquals(1, c.reads.size());
    assertEquals(0, a.reads.size());
    assertEquals(List.of("nowhere"), chain.unknownServiceHints(Locator.parse(plain + "+Knowhere+Ka")));
  }

  @Test
  void notFoundOnlyWhenNoStoreHasItAndUnavailableWinsOverNotFound() throws Exception {
    Locator loc = locatorOf(bytes(10, 5));
    CountingStore empty = new CountingStore("empty", BlockStore.Integrity.UNTRUSTED);
    BlockStore broken = new CountingStore("broken", BlockStore.Integrity.UNTRUSTED) {
      @Override
      public ByteBuffer read(Locator locator, long offset, int length) throws IOException {
        throw new IOException("connection refused");
      }
    };
    assertThrows(BlockNotFoundException.class,
        () -> new StoreChain(List.of(empty), List.of(), Optional.empty(), dir).read(loc, 0, 10));
    StoreUnavailableException e = assertThrows(StoreUnavailableException.class,
        () -> new StoreChain(List.of(empty, broken), List.of(), Optional.empty(), dir).read(loc, 0, 10));
    assertTrue(e.getMessage().contains("broken: connection refused"), e.getMessage());
    assertEquals(0, new StoreChain(List.of(empty), List.of(), Optional.empty(), dir)
        .read(Locator.EMPTY_BLOCK, 0, 0).remaining());
  }

  @Test
  void blocksFetchedFromAnUntrustedStoreAreCachedAfterTheCheck() throws Exception {
    byte[] block = bytes(3 << 20, 6);
    Locator loc = locatorOf(block);
    CountingStore remote = new CountingStore("remote", BlockStore.Integrity.UNTRUSTED);
    remote.blocks.put(loc.hash(), block);
    BlockCache cache = new BlockCache(dir.resolve("cache"), 2L * Locator.MAX_BLOCK_SIZE);
    StoreChain chain = new StoreChain(List.of(remote), List.of(), Optional.of(cache), dir);
    chain.read(loc, 0, 10);
    chain.read(loc, 1 << 20, 1 << 20);
    chain.read(loc, 2 << 20, 1 << 20);
    assertEquals(block.length, remote.bytesRead, "fetched once, then read from the cache");
    assertEquals(block.length, cache.usedBytes());
    // The cache survives a restart: its index is rebuilt from the directory.
    assertEquals(block.length, new BlockCache(dir.resolve("cache"), 2L * Locator.MAX_BLOCK_SIZE).usedBytes());
  }

  @Test
  void theCacheEvictsLeastRecentlyUsedBlocksPastItsBound() throws Exception {
    BlockCache cache = new BlockCache(dir.resolve("cache"), Locator.MAX_BLOCK_SIZE);
    List<Locator> kept = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      byte[] b = bytes(30 << 20, 10 + i);
      Locator loc = locatorOf(b);
      cache.put(loc, ByteBuffer.wrap(b));
      kept.add(loc);
    }
    assertEquals(60 << 20, cache.usedBytes());
    assertEquals(OptionalLong.empty(), cache.sizeOf(kept.get(0).hash()));
    assertEquals(OptionalLong.of(30 << 20), cache.sizeOf(kept.get(2).hash()));
  }
}
