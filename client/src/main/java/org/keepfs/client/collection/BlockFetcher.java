package org.keepfs.client.collection;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;
import org.keepfs.client.cache.BlockCache;
import org.keepfs.client.cache.CachedPiece;
import org.keepfs.client.cache.PieceKey;
import org.keepfs.client.cache.PieceRejectedException;
import org.keepfs.client.http.GatewayClient;
import org.keepfs.client.http.HttpStatusException;
import org.keepfs.client.http.Reply;
import org.keepfs.client.http.RequestDirectives;
import org.keepfs.locator.Locator;
import org.keepfs.posix.Errno;
import org.keepfs.posix.ErrnoException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads blocks from the {@link BlockCache}, bringing in what is missing from the gateway's {@code
 * /keep/} URLs.
 *
 * <p>A read costs its 1 MiB piece, not its block: {@link PieceFetcher} fetches single pieces and checks
 * each against the block's piece digests before the cache stores it, and sequential readers ask for
 * the pieces ahead of them ({@link #prefetch}) so several are on the wire at once. Blocks cached whole
 * (by earlier versions, or fetched whole) are read as they are.
 *
 * <p>A gateway without piece digests gets the old treatment: the block is fetched as its pieces,
 * {@link #PARALLEL_PIECES} at a time, assembled, and inserted whole, checked against the block's MD5;
 * a block that fails the check (or comes back the wrong length) is fetched once more with {@code
 * no-cache}, and if it fails again the read fails with EIO. Bad bytes are never handed to a reader.
 */
public final class BlockFetcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BlockFetcher.class);
  /** The gateway's piece size. */
  public static final int PIECE_BYTES = org.keepfs.pieces.PieceDigests.PIECE_SIZE;
  static final int PARALLEL_PIECES = 8;
  private static final int MEMORY_BLOCKS = 4;
  private static final java.time.Duration CLOSE_WAIT = java.time.Duration.ofSeconds(20);

  private final GatewayClient http;
  private final BlockCache cache;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final Semaphore pieceSlots = new Semaphore(PARALLEL_PIECES * 2);
  private final Map<String, CompletableFuture<ByteBuffer>> inFlight = new ConcurrentHashMap<>();
  /** Blocks the cache could not hold (larger than its capacity), verified, most recent last. */
  private final Map<String, ByteBuffer> uncacheable = new LinkedHashMap<>(8, 0.75f, true);
  private final LongAdder blocksFetched = new LongAdder();
  private final LongAdder badBlocks = new LongAdder();
  private final LongAdder regions = new LongAdder();
  private final PieceFetcher pieces;
  /** Set once the gateway turned out to serve no piece digests. */
  private volatile boolean wholeBlocksOnly;

  public BlockFetcher(GatewayClient http, BlockCache cache) {
    this.http = http;
    this.cache = cache;
    this.pieces = new PieceFetcher(http, cache, executor);
  }

  /**
   * Starts bringing the piece of {@code block} holding byte {@code offset} into the cache, without
   * waiting, for a reader that wants it while {@code stillWanted} says so: a piece still waiting for the
   * network when nobody wants it any more is not fetched.
   */
  public void prefetch(Locator block, long offset, java.util.function.BooleanSupplier stillWanted) {
    if (offset < 0 || offset >= block.size() || cache.contains(PieceKey.wholeBlock(block))) {
      return;
    }
    if (wholeBlocksOnly) {
      if (memoryCopy(block) == null) {
        ensure(block);
      }
      return;
    }
    pieces.prefetch(block, (int) (offset / PIECE_BYTES), stillWanted);
  }

  /**
   * Reads bytes of {@code block} from {@code offset} into {@code dst} (as many as fit and the block
   * holds, never past the end of the piece holding {@code offset}); returns how many.
   */
  public int read(Locator block, long offset, ByteBuffer dst) throws IOException {
    if (offset >= block.size() || !dst.hasRemaining()) {
      return 0;
    }
    PieceKey key = PieceKey.wholeBlock(block);
    int whole = cache.contains(key) ? cache.read(key, offset, dst) : -1;
    if (whole >= 0) {
      return whole;
    }
    if (!wholeBlocksOnly) {
      try {
        return readPiece(block, offset, dst);
      } catch (PieceFetcher.DigestsUnavailableException e) {
        fallBackToWholeBlocks(e);
      }
    }
    return readWhole(block, offset, dst);
  }

  private void fallBackToWholeBlocks(PieceFetcher.DigestsUnavailableException e) {
    if (!wholeBlocksOnly) {
      wholeBlocksOnly = true;
      LOG.info("{}; fetching whole blocks from now on", e.getMessage());
    }
  }

  private int readPiece(Locator block, long offset, ByteBuffer dst) throws IOException {
    int index = (int) (offset / PIECE_BYTES);
    PieceKey key = PieceFetcher.key(block, index);
    int within = (int) (offset - key.offset());
    int n = cache.read(key, within, dst);
    if (n >= 0) {
      return n;
    }
    ByteBuffer src = pieces.await(block, index);
    src.position(within);
    src.limit(Math.min(src.limit(), within + dst.remaining()));
    n = src.remaining();
    dst.put(src);
    return n;
  }

  private int readWhole(Locator block, long offset, ByteBuffer dst) throws IOException {
    PieceKey key = PieceKey.wholeBlock(block);
    for (int attempt = 0; attempt < 2; attempt++) {
      ByteBuffer mem = memoryCopy(block);
      if (mem == null) {
        int n = cache.read(key, offset, dst);
        if (n >= 0) {
          return n;
        }
        mem = await(block, ensure(block));
      }
      if (mem != null) {
        ByteBuffer src = mem.duplicate();
        src.position((int) offset);
        src.limit((int) Math.min(block.size(), offset + dst.remaining()));
        int n = src.remaining();
        dst.put(src);
        return n;
      }
    }
    throw new ErrnoException(Errno.EIO, "block " + block.hashAndSize() + " left the cache as soon as it was stored; the cache is too small");
  }

  /**
   * A reader for one open file that keeps the cache file of the piece it read last open, so the
   * kernel's read-ahead on that file builds up across reads instead of starting over at each one.
   *
   * <p>The kernel sends reads of one open file from several threads at once (its read-ahead beside the
   * program's own reads). Each read holds its own reference to the piece it reads ({@link
   * CachedPiece#retain}), so reads run in parallel, and a read that moves the cursor to another piece
   * only gives back the cursor's reference: the file closes when the last read using it is done.
   * A piece that is not cached is fetched outside the cursor's lock.
   */
  public final class Cursor implements AutoCloseable {
    private CachedPiece current;
    private boolean closed;

    public int read(Locator block, long offset, ByteBuffer dst) throws IOException {
      if (offset >= block.size() || !dst.hasRemaining()) {
        return 0;
      }
      CachedPiece piece = acquire(block, offset);
      if (piece == null) {
        return BlockFetcher.this.read(block, offset, dst);
      }
      try {
        return piece.read(dst, offset - piece.key().offset());
      } finally {
        piece.close();
      }
    }

    /**
     * The {@code length} bytes of {@code block} at {@code offset} as a region of a verified cache file;
     * empty when they are not cached (yet) or span two pieces: the caller then reads them.
     */
    public java.util.Optional<org.keepfs.client.fs.FileRegion> region(Locator block, long offset, int length) throws IOException {
      if (length <= 0 || offset + length > block.size()) {
        return java.util.Optional.empty();
      }
      CachedPiece piece = acquire(block, offset);
      if (piece == null) {
        return java.util.Optional.empty();
      }
      long within = offset - piece.key().offset();
      if (piece.descriptor() < 0 || within + length > piece.key().length()) {
        piece.close();
        return java.util.Optional.empty();
      }
      piece.served(length);
      regions.increment();
      return java.util.Optional.of(new org.keepfs.client.fs.FileRegion(piece.descriptor(), within, length, piece));
    }

    /** The cached piece holding {@code offset}, with a reference for the caller; null when none can be opened. */
    private CachedPiece acquire(Locator block, long offset) throws IOException {
      CachedPiece held = retainCurrent(block, offset);
      if (held != null) {
        return held;
      }
      CachedPiece opened = open(block, offset);
      if (opened != null) {
        keep(opened);
      }
      return opened;
    }

    private synchronized CachedPiece retainCurrent(Locator block, long offset) {
      CachedPiece c = current;
      if (c != null && c.key().hash().equals(block.hash()) && offset >= c.key().offset()
          && offset < c.key().offset() + c.key().length() && c.retain()) {
        return c;
      }
      return null;
    }

    /** Makes {@code opened} the cursor's piece (with a reference of its own), giving back the old one's. */
    private void keep(CachedPiece opened) throws IOException {
      CachedPiece old;
      synchronized (this) {
        if (closed || !opened.retain()) {
          return;
        }
        old = current;
        current = opened;
      }
      if (old != null) {
        old.close();
      }
    }

    /**
     * The cached file holding {@code offset}, or null: a miss is left to {@link BlockFetcher#read},
     * which fetches the piece and answers from its verified bytes in memory while they are written to
     * the cache, where the next read finds them.
     */
    private CachedPiece open(Locator block, long offset) throws IOException {
      PieceKey whole = PieceKey.wholeBlock(block);
      java.util.Optional<CachedPiece> opened = java.util.Optional.empty();
      if (wholeBlocksOnly || cache.contains(whole)) {
        opened = cache.open(whole);
      }
      if (opened.isEmpty() && !wholeBlocksOnly) {
        opened = cache.open(PieceFetcher.key(block, (int) (offset / PIECE_BYTES)));
      }
      return opened.orElse(null);
    }

    @Override
    public void close() throws IOException {
      CachedPiece old;
      synchronized (this) {
        closed = true;
        old = current;
        current = null;
      }
      if (old != null) {
        old.close();
      }
    }
  }

  public Cursor cursor() {
    return new Cursor();
  }

  private synchronized ByteBuffer memoryCopy(Locator block) {
    return uncacheable.get(block.hash());
  }

  private CompletableFuture<ByteBuffer> ensure(Locator block) {
    return inFlight.computeIfAbsent(block.hash(), h -> {
      CompletableFuture<ByteBuffer> f = CompletableFuture.supplyAsync(() -> {
        try {
          return load(block);
        } catch (IOException e) {
          throw new CompletionException(e);
        }
      }, executor);
      f.whenComplete((r, e) -> inFlight.remove(h));
      return f;
    });
  }

  private ByteBuffer await(Locator block, CompletableFuture<ByteBuffer> f) throws IOException {
    try {
      return f.get();
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof IOException io) {
        throw io instanceof ErrnoException ? io : new ErrnoException(Errno.EIO, "block " + block.hashAndSize() + ": " + io.getMessage());
      }
      throw new ErrnoException(Errno.EIO, "block " + block.hashAndSize() + ": " + c);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ErrnoException(Errno.EIO, "interrupted while fetching block " + block.hashAndSize());
    }
  }

  /** Null when the block is now in the cache; the verified bytes when the cache cannot hold it. */
  private ByteBuffer load(Locator block) throws IOException {
    PieceKey key = PieceKey.wholeBlock(block);
    IOException first = null;
    for (boolean noCache : new boolean[] {false, true}) {
      ByteBuffer data;
      try {
        data = fetch(block, noCache);
      } catch (BadLengthException e) {
        first = first == null ? e : first;
        badBlocks.increment();
        LOG.warn("{}{}", e.getMessage(), noCache ? "" : "; fetching it again with no-cache");
        continue;
      }
      blocksFetched.increment();
      try {
        if (cache.insert(key, data, block.hash())) {
          return null;
        }
        synchronized (this) {
          uncacheable.put(block.hash(), data.asReadOnlyBuffer());
          while (uncacheable.size() > MEMORY_BLOCKS) {
            uncacheable.remove(uncacheable.keySet().iterator().next());
          }
        }
        return data.asReadOnlyBuffer();
      } catch (PieceRejectedException e) {
        first = first == null ? e : first;
        badBlocks.increment();
        LOG.warn("block {} from the gateway is wrong: {}{}", block.hashAndSize(), e.getMessage(),
            noCache ? "" : "; fetching it again with no-cache");
      }
    }
    throw new ErrnoException(Errno.EIO, "block " + block.hashAndSize() + " came back wrong twice (the second time with no-cache): "
        + first.getMessage());
  }

  private ByteBuffer fetch(Locator block, boolean noCache) throws IOException {
    int size = Math.toIntExact(block.size());
    int pieces = (size + PIECE_BYTES - 1) / PIECE_BYTES;
    RequestDirectives d = noCache ? RequestDirectives.NO_CACHE : RequestDirectives.PLAIN;
    String base = "/keep/" + block;
    if (pieces == 1) {
      byte[] body = get(base, d);
      check(block, 0, body.length, size);
      return ByteBuffer.wrap(body);
    }
    ByteBuffer all = ByteBuffer.allocate(size);
    List<CompletableFuture<Void>> parts = new ArrayList<>(pieces);
    for (int i = 0; i < pieces; i++) {
      int n = i;
      parts.add(CompletableFuture.runAsync(() -> {
        try {
          pieceSlots.acquire();
          try {
            byte[] body = get(base + "/" + n, d);
            int expected = Math.min(PIECE_BYTES, size - n * PIECE_BYTES);
            check(block, n, body.length, expected);
            all.duplicate().position(n * PIECE_BYTES).put(body);
          } finally {
            pieceSlots.release();
          }
        } catch (IOException e) {
          throw new CompletionException(e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new CompletionException(e);
        }
      }, executor));
    }
    try {
      CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).get();
    } catch (ExecutionException e) {
      parts.forEach(p -> p.cancel(false));
      Throwable c = e.getCause();
      if (c instanceof IOException io) {
        throw io;
      }
      throw new IOException("fetching block " + block.hashAndSize() + ": " + c, c);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ErrnoException(Errno.EIO, "interrupted while fetching block " + block.hashAndSize());
    }
    return all;
  }

  private byte[] get(String path, RequestDirectives d) throws IOException {
    try {
      return http.get(path, d).body();
    } catch (HttpStatusException e) {
      int errno = e.status() == 404 ? Errno.EIO : e.status() == 403 || e.status() == 401 ? Errno.EACCES : Errno.EIO;
      throw new ErrnoException(errno, e.getMessage());
    }
  }

  private static void check(Locator block, int piece, int got, int expected) throws BadLengthException {
    if (got != expected) {
      throw new BadLengthException("block " + block.hashAndSize() + " piece " + piece + ": got " + got + " bytes, expected " + expected);
    }
  }

  /** A piece came back with the wrong length (a proxy's truncated copy, say). */
  private static final class BadLengthException extends IOException {
    private static final long serialVersionUID = 1L;

    BadLengthException(String message) {
      super(message);
    }
  }

  public String renderStats() {
    return cache.stats().render("block_cache") + "blocks.fetched " + blocksFetched.sum() + "\nblocks.bad " + badBlocks.sum() + "\n"
        + "reads.regions " + regions.sum() + "\n" + pieces.renderStats();
  }

  /**
   * Lets the fetches on the wire finish and be stored (so a cache opened next finds them), for at most
   * {@link #CLOSE_WAIT}; fetches still waiting for the network are dropped.
   */
  @Override
  public void close() {
    pieces.close();
    executor.shutdown();
    try {
      if (!executor.awaitTermination(CLOSE_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
        LOG.warn("block fetches still running {} after close; interrupting them", CLOSE_WAIT);
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      executor.shutdownNow();
    }
  }
}
