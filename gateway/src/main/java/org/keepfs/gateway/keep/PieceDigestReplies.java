package org.keepfs.gateway.keep;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.stream.IntStream;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.keepfs.locator.Locator;
import org.keepfs.locator.LocatorFormatException;
import org.keepfs.pieces.PieceDigests;
import org.keepfs.store.Md5;
import org.keepfs.store.StoreChain;

/**
 * {@code GET /keep/<locator>/pieces}: the MD5 of each 1 MiB piece of a block ({@link PieceDigests}),
 * so a client can check a piece it fetched alone. The list is computed from bytes the {@link
 * StoreChain} has checked against the block's hash, the pieces hashed in parallel; it is immutable
 * like the block, and kept in memory for the blocks asked about most recently. One computation per
 * block at a time, however many clients ask.
 */
final class PieceDigestReplies {
  /** About 1 KiB per 64 MiB block: 16,384 blocks (1 TiB of data) in at most 16 MiB. */
  static final int MAX_BLOCKS = 16_384;

  private final StoreChain stores;
  private final KeepAccess access;
  private final Map<String, PieceDigests> recent = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, PieceDigests> eldest) {
      return size() > MAX_BLOCKS;
    }
  };
  private final Map<String, CompletableFuture<PieceDigests>> computing = new ConcurrentHashMap<>();

  PieceDigestReplies(StoreChain stores, KeepAccess access) {
    this.stores = stores;
    this.access = access;
  }

  static boolean names(String path) {
    return path.endsWith(PieceDigests.URL_SUFFIX);
  }

  void serve(Request request, Response response, Callback callback, String path, boolean withBody) throws Exception {
    String locatorText = path.substring(BlockPath.PREFIX.length(), path.length() - PieceDigests.URL_SUFFIX.length());
    Locator locator;
    try {
      locator = Locator.parse(locatorText);
    } catch (LocatorFormatException e) {
      throw new BlockPath.BadPathException("piece digests need a full locator, /keep/<hash>+<size>" + PieceDigests.URL_SUFFIX
          + ": " + e.getMessage());
    }
    if (locator.size() > Locator.MAX_BLOCK_SIZE) {
      throw new BlockPath.BadPathException("locator " + locator.hashAndSize() + " names a block larger than "
          + Locator.MAX_BLOCK_SIZE + " bytes");
    }
    access.checkBlockRead(locator, KeepAccess.token(request.getHeaders().get(HttpHeader.AUTHORIZATION)));
    String etag = "\"" + locator.hash() + "-pieces\"";
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, KeepBlockHandler.IMMUTABLE);
    response.getHeaders().put(HttpHeader.ETAG, etag);
    if (etag.equals(request.getHeaders().get(HttpHeader.IF_NONE_MATCH))) {
      response.setStatus(HttpStatus.NOT_MODIFIED_304);
      callback.succeeded();
      return;
    }
    byte[] body = digests(locator).encode();
    response.setStatus(HttpStatus.OK_200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=us-ascii");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, withBody ? ByteBuffer.wrap(body) : null, callback);
  }

  PieceDigests digests(Locator locator) throws IOException {
    Optional<PieceDigests> known = known(locator.hash());
    if (known.isPresent()) {
      return known.get();
    }
    CompletableFuture<PieceDigests> mine = new CompletableFuture<>();
    CompletableFuture<PieceDigests> running = computing.putIfAbsent(locator.hash(), mine);
    if (running != null) {
      return await(running);
    }
    try {
      PieceDigests d = compute(locator);
      synchronized (recent) {
        recent.put(locator.hash(), d);
      }
      mine.complete(d);
      return d;
    } catch (IOException | RuntimeException e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      computing.remove(locator.hash(), mine);
    }
  }

  private Optional<PieceDigests> known(String hash) {
    synchronized (recent) {
      return Optional.ofNullable(recent.get(hash));
    }
  }

  private PieceDigests compute(Locator locator) throws IOException {
    int size = Math.toIntExact(locator.size());
    // Checked against the block's hash by the chain before it is returned.
    ByteBuffer block = stores.read(locator, 0, size);
    int pieces = PieceDigests.pieceCount(size);
    String[] md5s = new String[pieces];
    IntStream.range(0, pieces).parallel().forEach(i -> md5s[i] = md5(block, i, size));
    return new PieceDigests(locator, new ArrayList<>(Arrays.asList(md5s)));
  }

  private static String md5(ByteBuffer block, int piece, int blockSize) {
    int offset = piece * PieceDigests.PIECE_SIZE;
    ByteBuffer slice = block.slice(block.position() + offset, PieceDigests.pieceLength(blockSize, piece));
    if (slice.hasArray()) {
      MessageDigest d = Md5.newDigest();
      d.update(slice.array(), slice.arrayOffset() + slice.position(), slice.remaining());
      return Md5.hex(d);
    }
    return Md5.hex(slice);
  }

  private static PieceDigests await(CompletableFuture<PieceDigests> f) throws IOException {
    try {
      return f.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for the piece digests of a block", e);
    }
  }
}
