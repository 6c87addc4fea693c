package org.keepfs.gateway.keep;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.OptionalLong;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;
import org.keepfs.locator.Locator;
import org.keepfs.store.BlockSpool;
import org.keepfs.store.RejectedBlockException;
import org.keepfs.store.StoreChain;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code /keep/}: keepstore's GET, HEAD and PUT of blocks, plus aligned pieces, their MD5s
 * ({@code /keep/<locator>/pieces}, see {@link PieceDigestReplies}) and single byte ranges. Blocks and pieces are immutable, so they carry a year's {@code max-age}, {@code
 * immutable} and a strong ETag made from the hash.
 */
public final class KeepBlockHandler extends Handler.Abstract {
  private static final Logger LOG = LoggerFactory.getLogger(KeepBlockHandler.class);

  /** Blocks never change, so any cache may keep them for as long as HTTP allows. */
  public static final String IMMUTABLE = "public, max-age=31536000, immutable";

  /** keepstore's header for how many copies a PUT stored. */
  public static final String REPLICAS_STORED = "X-Keep-Replicas-Stored";

  /** Socket read size for connections that upload blocks; 256 KiB measured as cheap as 1 MiB per byte. */
  static final int UPLOAD_READ_BUFFER_BYTES = 256 << 10;

  private final StoreChain stores;
  private final KeepAccess access;
  private final PieceDigestReplies pieceDigests;

  /** Requests and bytes are counted by the server's route meters ({@code keepfs_http_*{route="/keep"}}). */
  public KeepBlockHandler(StoreChain stores, KeepAccess access) {
    this.stores = stores;
    this.access = access;
    this.pieceDigests = new PieceDigestReplies(stores, access);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String path = request.getHttpURI().getCanonicalPath();
    if (!path.startsWith(BlockPath.PREFIX)) {
      return false;
    }
    // keepstore answers every request with CORS headers, so browser-based Keep clients work.
    response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
    response.getHeaders().put(HttpHeader.ACCESS_CONTROL_EXPOSE_HEADERS, REPLICAS_STORED + ", ETag, Content-Range");
    if (request.getMethod().equals("OPTIONS")) {
      response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_METHODS, "GET, HEAD, PUT, OPTIONS");
      response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_HEADERS,
          "Authorization, Content-Length, Content-Type, Range, X-Keep-Desired-Replicas, X-Keep-Storage-Classes");
      response.getHeaders().put(HttpHeader.ACCESS_CONTROL_MAX_AGE, 86400);
      response.setStatus(200);
      callback.succeeded();
      return true;
    }
    try {
      switch (request.getMethod()) {
        case "GET" -> get(request, response, callback, path, true);
        case "HEAD" -> get(request, response, callback, path, false);
        case "PUT" -> put(request, response, callback, path);
        default -> {
          response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD, PUT, OPTIONS");
          TextReply.send(response, callback, 405, request.getMethod() + " is not supported on blocks");
        }
      }
    } catch (Exception e) {
      int status = KeepStatus.of(e);
      if (status >= 500) {
        LOG.warn("{} {}: {}", request.getMethod(), path, e.toString());
      }
      TextReply.send(response, callback, status, String.valueOf(e.getMessage()));
    }
    return true;
  }

  private void get(Request request, Response response, Callback callback, String path, boolean withBody)
      throws Exception {
    if (PieceDigestReplies.names(path)) {
      pieceDigests.serve(request, response, callback, path, withBody);
      return;
    }
    BlockPath block = BlockPath.parse(path);
    Optional<String> token = KeepAccess.token(request.getHeaders().get(HttpHeader.AUTHORIZATION));
    Locator locator = block.locator();
    if (locator == null) {
      if (withBody) {
        response.getHeaders().put(HttpHeader.ALLOW, "HEAD, PUT");
        TextReply.send(response, callback, 405,
            "GET needs the block's size to check what it sends: use /keep/" + block.hash() + "+<size>");
        return;
      }
      access.checkRead(token);
      if (access.signer().isPresent()) {
        throw new AccessDeniedException(401,
            "with permission signatures on, HEAD needs a signed locator: /keep/" + block.hash() + "+<size>+A<signature>@<expiry>");
      }
      OptionalLong size = stores.sizeOf(block.hash());
      if (size.isEmpty()) {
        TextReply.send(response, callback, 404, "no store holds a block with hash " + block.hash());
        return;
      }
      locator = Locator.of(block.hash(), size.getAsLong());
      block = new BlockPath(block.hash(), locator, block.piece());
    } else {
      access.checkBlockRead(locator, token);
    }
    String etag = block.etag();
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, IMMUTABLE);
    response.getHeaders().put(HttpHeader.ETAG, etag);
    response.getHeaders().put(HttpHeader.ACCEPT_RANGES, "bytes");
    if (etag.equals(request.getHeaders().get(HttpHeader.IF_NONE_MATCH))) {
      // A 304 stands for the 200 it replaces, so its Content-Length is that reply's (RFC 9110 8.6).
      // Left unset, Jetty sends "Content-Length: 0", and a proxy that copies a 304's headers onto
      // its stored reply would then describe the block as empty.
      response.setStatus(HttpStatus.NOT_MODIFIED_304);
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, block.length());
      callback.succeeded();
      return;
    }
    long offset = block.offset();
    long length = block.length();
    int status = HttpStatus.OK_200;
    Optional<ByteRange> range;
    try {
      range = ByteRange.parse(request.getHeaders().get(HttpHeader.RANGE), length);
    } catch (ByteRange.UnsatisfiableRangeException e) {
      response.getHeaders().put(HttpHeader.CONTENT_RANGE, "bytes */" + length);
      TextReply.send(response, callback, HttpStatus.RANGE_NOT_SATISFIABLE_416, e.getMessage());
      return;
    }
    if (range.isPresent()) {
      status = HttpStatus.PARTIAL_CONTENT_206;
      response.getHeaders().put(HttpHeader.CONTENT_RANGE, range.get().contentRange(length));
      offset += range.get().offset();
      length = range.get().length();
    }
    ByteBuffer data = stores.read(locator, offset, (int) length);
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, length);
    response.write(true, withBody ? data : null, callback);
  }

  private void put(Request request, Response response, Callback callback, String path) throws Exception {
    BlockPath block = BlockPath.parse(path);
    if (block.piece().isPresent()) {
      throw new BlockPath.BadPathException("blocks are written whole: PUT /keep/<md5>, not a piece");
    }
    Optional<String> token = Optional.of(
        access.checkWrite(KeepAccess.token(request.getHeaders().get(HttpHeader.AUTHORIZATION))));
    long declared = request.getLength();
    if (block.locator() != null && declared >= 0 && declared != block.locator().size()) {
      throw new RejectedBlockException(RejectedBlockException.Reason.LENGTH_MISMATCH,
          "Content-Length " + declared + " does not match the size in " + block.locator().hashAndSize());
    }
    boolean swapBuffer = readBodyInLargeBuffers(request);
    Locator stored;
    int replicas;
    try (BlockSpool spool = BlockSpool.open(stores.spoolDir(), block.hash(), declared)) {
      receive(request, spool, swapBuffer);
      stored = spool.finish();
      replicas = stores.put(stored, spool.file());
    }
    response.getHeaders().put(REPLICAS_STORED, replicas);
    TextReply.send(response, callback, 200, access.signFor(stored, token).toString());
  }

  /**
   * Makes the connection read from the socket in {@link #UPLOAD_READ_BUFFER_BYTES} buffers. Jetty's
   * default of 8 KiB costs a system call and a chunk hand-off per 8 KiB: 0.2 to 0.8 s of the 3 to 3.4 s
   * of CPU a GB of PUT took (docs/keep-performance.md). Only uploading connections get the larger buffer, and the pool takes it back
   * whenever it is empty, so an idle connection holds none. The size applies to the next buffer the
   * connection takes from its pool; see {@link #receive} for how that happens at once.
   *
   * @return whether the size changed
   */
  private static boolean readBodyInLargeBuffers(Request request) {
    if (request.getConnectionMetaData().getConnection() instanceof AbstractConnection connection
        && connection.getInputBufferSize() < UPLOAD_READ_BUFFER_BYTES) {
      connection.setInputBufferSize(UPLOAD_READ_BUFFER_BYTES);
      return true;
    }
    return false;
  }

  /**
   * Reads the request body into the spool buffer by buffer, waiting for the network as needed.
   *
   * <p>With {@code swapBuffer}, the first chunk is released only after the next read: Jetty refills
   * a buffer nobody holds in place, and takes a fresh one from the pool (at the connection's current
   * size) when a chunk still holds it. An upload that arrives faster than it is hashed never leaves
   * the buffer empty long enough for Jetty to give it back, so without this the body would be read
   * 8 KiB at a time to the end.
   */
  private static void receive(Request request, BlockSpool spool, boolean swapBuffer) throws IOException {
    Content.Chunk held = null;
    try {
      while (true) {
        Content.Chunk chunk = request.read();
        if (held != null) {
          held.release();
          held = null;
        }
        if (chunk == null) {
          try (Blocker.Runnable blocker = Blocker.runnable()) {
            request.demand(blocker);
            blocker.block();
          }
          continue;
        }
        boolean keep = false;
        try {
          if (Content.Chunk.isFailure(chunk)) {
            throw new RejectedBlockException(RejectedBlockException.Reason.LENGTH_MISMATCH,
                "the body ended early: " + chunk.getFailure().getMessage());
          }
          if (chunk.hasRemaining()) {
            spool.write(chunk.getByteBuffer());
            keep = swapBuffer && !chunk.isLast();
            swapBuffer &= !keep;
          }
          if (chunk.isLast()) {
            return;
          }
        } finally {
          if (keep) {
            held = chunk;
          } else {
            chunk.release();
          }
        }
      }
    } finally {
      if (held != null) {
        held.release();
      }
    }
  }
}
