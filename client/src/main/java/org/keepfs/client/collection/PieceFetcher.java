package org.keepfs.client.collection;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;
import org.keepfs.client.cache.BlockCache;
import org.keepfs.client.cache.PieceKey;
import org.keepfs.client.cache.PieceRejectedException;
import org.keepfs.client.cache.VerifiedPiece;
import org.keepfs.client.http.GatewayClient;
import org.keepfs.client.http.HttpStatusException;
import org.keepfs.client.http.RequestDirectives;
import org.keepfs.locator.Locator;
import org.keepfs.pieces.PieceDigests;
import org.keepfs.posix.Errno;
import org.keepfs.posix.ErrnoException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings single 1 MiB pieces of blocks ({@code /keep/<locator>/<n>}) into the {@link BlockCache},
 * each checked against the block's piece digests ({@code /keep/<locator>/pieces}, fetched once per
 * block and kept in memory), so a read costs its piece, not its block. The cache refuses bytes whose
 * MD5 is not the listed one; such a piece is fetched again with {@code no-cache} (the digest list
 * too, in case it was the bad copy), and if it is still wrong the read fails with EIO. Bad bytes are
 * never handed to a reader. A block of one piece is checked against its own hash and needs no list.
 *
 * <p>One fetch per piece at a time however many readers want it, at most {@link #PARALLEL_PIECES}
 * pieces of read-ahead on the wire at once, plus up to {@link #DEMAND_PIECES} that readers are waiting
 * for, which do not queue behind the read-ahead.
 */
final class PieceFetcher {
  private static final Logger LOG = LoggerFactory.getLogger(PieceFetcher.class);
  static final int PARALLEL_PIECES = 16;
  static final int DEMAND_PIECES = 4;
  private static final int DIGEST_LISTS_KEPT = 4096;
  private static final int MEMORY_PIECES = 8;

  /** The gateway has no piece digests (an older gateway): blocks must be fetched whole. */
  static final class DigestsUnavailableException extends IOException {
    private static final long serialVersionUID = 1L;

    DigestsUnavailableException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final GatewayClient http;
  private final BlockCache cache;
  private final Executor executor;
  /** Network slots for read-ahead. */
  private final Semaphore slots = new Semaphore(PARALLEL_PIECES, true);
  /** Network slots for pieces a reader is waiting for, so they never queue behind read-ahead. */
  private final Semaphore demandSlots = new Semaphore(DEMAND_PIECES, true);
  private final Map<PieceKey, Fetch> inFlight = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<PieceDigests>> digestsInFlight = new ConcurrentHashMap<>();
  private final Map<String, PieceDigests> digestLists = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, PieceDigests> eldest) {
      return size() > DIGEST_LISTS_KEPT;
    }
  };
  /** Verified pieces the cache could not hold (larger than its capacity), most recent last. */
  private final Map<PieceKey, ByteBuffer> uncacheable = new LinkedHashMap<>(8, 0.75f, true);
  private final LongAdder piecesFetched = new LongAdder();
  private final LongAdder badPieces = new LongAdder();
  private final LongAdder prefetchesDropped = new LongAdder();
  private volatile boolean closed;

  /**
   * One piece on its way. A fetch started only by prefetches waits for a network slot like any other;
   * when it gets one and nobody awaits it and none of its prefetchers still wants it (their files were
   * closed), it is dropped instead of fetched, so a closed file leaves at most the fetches already on
   * the wire behind.
   */
  private static final class Fetch {
    final CompletableFuture<ByteBuffer> result = new CompletableFuture<>();
    private final java.util.List<java.util.function.BooleanSupplier> prefetchers = new java.util.ArrayList<>(1);
    private int waiters;
    private boolean started;
    private boolean dropped;

    /** Counts a reader that will wait for the bytes; false when the fetch was dropped (start another). */
    synchronized boolean join() {
      if (dropped) {
        return false;
      }
      waiters++;
      return true;
    }

    synchronized boolean addPrefetcher(java.util.function.BooleanSupplier stillWanted) {
      if (dropped) {
        return false;
      }
      prefetchers.add(stillWanted);
      return true;
    }

    /** Called holding a network slot: true to fetch, false when nobody wants the piece any more. */
    synchronized boolean start() {
      boolean wanted = waiters > 0;
      for (java.util.function.BooleanSupplier p : prefetchers) {
        wanted |= p.getAsBoolean();
      }
      started = wanted;
      dropped = !wanted;
      return wanted;
    }
  }

  PieceFetcher(GatewayClient http, BlockCache cache, Executor executor) {
    this.http = http;
    this.cache = cache;
    this.executor = executor;
  }

  static PieceKey key(Locator block, int index) {
    return PieceKey.aligned(block, (long) index * PieceDigests.PIECE_SIZE, PieceDigests.PIECE_SIZE);
  }

  /**
   * Starts fetching piece {@code index} of {@code block} unless it is cached or on its way, for a
   * reader that wants it while {@code stillWanted} says so (see {@link Fetch}).
   */
  void prefetch(Locator block, int index, java.util.function.BooleanSupplier stillWanted) {
    PieceKey key = key(block, index);
    if (memoryCopy(key) != null) {
      return;
    }
    Fetch running = inFlight.get(key);
    if (running != null && running.addPrefetcher(stillWanted)) {
      return;
    }
    if (!cache.contains(key)) {
      for (int attempt = 0; attempt < 2; attempt++) {
        Fetch f = ensure(block, index, key, false);
        if (f.addPrefetcher(stillWanted)) {
          return;
        }
      }
    }
  }

  /**
   * Waits for piece {@code index} of {@code block} to be fetched and checked (starting the fetch if
   * nothing has), and returns its bytes, read-only. The piece is in the cache by then, unless the cache
   * is too small to hold it.
   */
  ByteBuffer await(Locator block, int index) throws IOException {
    PieceKey key = key(block, index);
    ByteBuffer mem = memoryCopy(key);
    if (mem != null) {
      return mem;
    }
    Fetch fetch = ensure(block, index, key, true);
    while (!fetch.join()) {
      // Dropped by its last prefetcher just now: this reader wants it, so fetch it anew.
      inFlight.remove(key, fetch);
      fetch = ensure(block, index, key, true);
    }
    CompletableFuture<ByteBuffer> f = fetch.result;
    try {
      // Every caller gets its own view: readers of one piece set position and limit at the same time.
      return f.get().duplicate();
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof IOException io) {
        throw io instanceof ErrnoException || io instanceof DigestsUnavailableException ? io
            : new ErrnoException(Errno.EIO, "block " + block.hashAndSize() + " piece " + index + ": " + io.getMessage());
      }
      throw new ErrnoException(Errno.EIO, "block " + block.hashAndSize() + " piece " + index + ": " + c);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ErrnoException(Errno.EIO, "interrupted while fetching block " + block.hashAndSize() + " piece " + index);
    }
  }

  private Fetch ensure(Locator block, int index, PieceKey key, boolean demand) {
    return inFlight.computeIfAbsent(key, k -> {
      Fetch fetch = new Fetch();
      Semaphore slots = demand ? demandSlots : this.slots;
      executor.execute(() -> {
        try {
          VerifiedPiece piece;
          slots.acquire();
          try {
            if (closed || !fetch.start()) {
              prefetchesDropped.increment();
              fetch.result.completeExceptionally(new java.util.concurrent.CancellationException("nobody wants piece " + k + " any more"));
              return;
            }
            piece = load(block, index, k);
          } finally {
            slots.release();
          }
          // Readers waiting for the piece go on with its verified bytes while they are written to the
          // cache; until the file is in place, this fetch stays in flight and answers from memory.
          fetch.result.complete(piece.bytes());
          keep(piece);
        } catch (IOException | RuntimeException e) {
          if (!fetch.result.completeExceptionally(e)) {
            LOG.warn("piece {} was read but could not be cached: {}", k, e.toString());
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          fetch.result.completeExceptionally(new ErrnoException(Errno.EIO, "interrupted"));
        } finally {
          inFlight.remove(k, fetch);
        }
      });
      return fetch;
    });
  }

  private synchronized ByteBuffer memoryCopy(PieceKey key) {
    ByteBuffer b = uncacheable.get(key);
    return b == null ? null : b.duplicate();
  }

  /** Stores a verified piece in the cache, or in memory when the cache cannot hold it. */
  private void keep(VerifiedPiece piece) throws IOException {
    if (!cache.store(piece)) {
      synchronized (this) {
        uncacheable.put(piece.key(), piece.bytes());
        while (uncacheable.size() > MEMORY_PIECES) {
          uncacheable.remove(uncacheable.keySet().iterator().next());
        }
      }
    }
  }

  private VerifiedPiece load(Locator block, int index, PieceKey key) throws IOException {
    IOException first = null;
    for (boolean noCache : new boolean[] {false, true}) {
      String expected = expectedMd5(block, index, noCache);
      RequestDirectives d = noCache ? RequestDirectives.NO_CACHE : RequestDirectives.PLAIN;
      // A block of one piece is fetched by its own URL, which whole-block readers share in proxies.
      String url = PieceDigests.pieceCount(block.size()) == 1 ? "/keep/" + block : "/keep/" + block + "/" + index;
      byte[] body = get(url, d);
      piecesFetched.increment();
      try {
        if (body.length != key.length()) {
          throw new PieceRejectedException("got " + body.length + " bytes, expected " + key.length());
        }
        return cache.verify(key, ByteBuffer.wrap(body), expected);
      } catch (PieceRejectedException e) {
        first = first == null ? e : first;
        badPieces.increment();
        LOG.warn("block {} piece {} from the gateway is wrong: {}{}", block.hashAndSize(), index, e.getMessage(),
            noCache ? "" : "; fetching it again with no-cache");
      }
    }
    throw new ErrnoException(Errno.EIO, "block " + block.hashAndSize() + " piece " + index
        + " came back wrong twice (the second time with no-cache): " + first.getMessage());
  }

  /** The MD5 piece {@code index} must have: the block's own hash when it is the only piece. */
  private String expectedMd5(Locator block, int index, boolean noCache) throws IOException {
    if (PieceDigests.pieceCount(block.size()) == 1) {
      return block.hash();
    }
    PieceDigests d = noCache ? null : known(block.hash());
    if (d == null) {
      d = noCache ? fetchDigests(block, true) : digestsOnce(block);
      synchronized (digestLists) {
        digestLists.put(block.hash(), d);
      }
    }
    return d.md5(index);
  }

  /** One request for a block's digest list however many of its pieces start fetching at once. */
  private PieceDigests digestsOnce(Locator block) throws IOException {
    CompletableFuture<PieceDigests> mine = new CompletableFuture<>();
    CompletableFuture<PieceDigests> running = digestsInFlight.putIfAbsent(block.hash(), mine);
    if (running != null) {
      try {
        return running.get();
      } catch (ExecutionException e) {
        throw e.getCause() instanceof IOException io ? io : new ErrnoException(Errno.EIO, "piece digests: " + e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ErrnoException(Errno.EIO, "interrupted while fetching the piece digests of " + block.hashAndSize());
      }
    }
    try {
      PieceDigests d = fetchDigests(block, false);
      mine.complete(d);
      return d;
    } catch (IOException | RuntimeException e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      digestsInFlight.remove(block.hash(), mine);
    }
  }

  private PieceDigests known(String hash) {
    synchronized (digestLists) {
      return digestLists.get(hash);
    }
  }

  private PieceDigests fetchDigests(Locator block, boolean noCache) throws IOException {
    String url = "/keep/" + block + PieceDigests.URL_SUFFIX;
    IllegalArgumentException bad = null;
    for (boolean nc : noCache ? new boolean[] {true} : new boolean[] {false, true}) {
      byte[] body;
      try {
        body = get(url, nc ? RequestDirectives.NO_CACHE : RequestDirectives.PLAIN);
      } catch (ErrnoException e) {
        if (e.getCause() instanceof HttpStatusException s && (s.status() == 400 || s.status() == 405)) {
          throw new DigestsUnavailableException("the gateway serves no piece digests: " + s.getMessage(), s);
        }
        throw e;
      }
      try {
        return PieceDigests.parse(block, body);
      } catch (IllegalArgumentException e) {
        bad = e;
        LOG.warn("{}{}", e.getMessage(), nc ? "" : "; fetching them again with no-cache");
      }
    }
    throw new ErrnoException(Errno.EIO, bad.getMessage());
  }

  private byte[] get(String path, RequestDirectives d) throws IOException {
    try {
      return http.get(path, d).body();
    } catch (HttpStatusException e) {
      int errno = e.status() == 403 || e.status() == 401 ? Errno.EACCES : Errno.EIO;
      throw new ErrnoException(errno, e.getMessage(), e);
    }
  }

  /**
   * Stops starting fetches: the ones waiting for a network slot are dropped; those on the wire finish
   * and are stored (the owner waits for its executor).
   */
  void close() {
    closed = true;
  }

  String renderStats() {
    return "pieces.fetched " + piecesFetched.sum() + "\npieces.bad " + badPieces.sum() + "\npieces.in_flight " + inFlight.size()
        + "\npieces.prefetch_dropped " + prefetchesDropped.sum() + "\n";
  }
}
