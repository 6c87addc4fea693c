package org.keepfs.gateway.fs123;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.keepfs.fs123.AttrReply;
import org.keepfs.fs123.CacheControl;
import org.keepfs.fs123.EntityTag;
import org.keepfs.fs123.Fs123FormatException;
import org.keepfs.fs123.Fs123Protocol;
import org.keepfs.fs123.Fs123Query;
import org.keepfs.fs123.Fs123Request;
import org.keepfs.fs123.Netstring;
import org.keepfs.fs123.NextOffset;
import org.keepfs.fs123.RequestKind;
import org.keepfs.gateway.tree.DirPage;
import org.keepfs.gateway.tree.FileRead;
import org.keepfs.gateway.tree.Fs123Tree;
import org.keepfs.gateway.tree.NodeAttributes;
import org.keepfs.posix.Errno;
import org.keepfs.posix.ErrnoException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves fs123 7.2 requests ({@code GET} and {@code HEAD}) from a tree. Requests whose path has no
 * {@code /fs123/} component are left to other handlers.
 *
 * <p>Metadata requests ({@code a d l s n}) are answered on the thread that parsed the request, without
 * a hand-off: they cost a few fast system calls or a cached listing, as in exportd's synchronous mode.
 * File and xattr reads, which may wait for a disk, and metadata of trees that say they {@linkplain
 * Fs123Tree#mayWait may wait}, run on a virtual thread of their own.
 *
 * <p>Replies: filesystem errors are {@code 200} with {@code fs123-errno} and an empty body; malformed
 * requests are {@code 400} with a text body naming the problem; methods other than GET/HEAD are 405;
 * requests with a body are 413. Bodies are never compressed and never carry {@code fs123-trsum}.
 */
public final class Fs123Handler extends Handler.Abstract.NonBlocking {
  private static final Logger LOG = LoggerFactory.getLogger(Fs123Handler.class);

  private static final HttpField ERRNO_OK = new PreEncodedHttpField(Fs123Protocol.ERRNO_HEADER, "0");
  private static final HttpField OCTET_STREAM =
      new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "application/octet-stream");
  private static final HttpField TEXT = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
  private static final HttpField ENTRY_ATTRIBUTES =
      new PreEncodedHttpField(Fs123Protocol.ENTRY_ATTRIBUTES_HEADER, Fs123Protocol.ENTRY_ATTRIBUTES_VERSION);
  private static final HttpField ALLOW = new PreEncodedHttpField(HttpHeader.ALLOW, "GET, HEAD");
  /** Room before a /f body for the netstring of its validator, written once the read is done. */
  private static final int FILE_HEADROOM = Netstring.MAX_UINT64_NETSTRING;

  private final Fs123Tree tree;
  private final ReplyCacheControl replyCacheControl;
  private final Fs123Metrics metrics;
  private final ConcurrentHashMap<CacheControl, HttpField> cacheControlFields = new ConcurrentHashMap<>();

  public Fs123Handler(Fs123Tree tree, ReplyCacheControl replyCacheControl, Fs123Metrics metrics) {
    this.tree = tree;
    this.replyCacheControl = replyCacheControl;
    this.metrics = metrics;
  }

  /** What one reply carries besides its body; zero cookie or tag means "send none". */
  private record Meta(int errno, CacheControl cacheControl, long cookie, long etag, NextOffset next) {
    static Meta ok(CacheControl cc) {
      return new Meta(0, cc, 0, 0, null);
    }
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    HttpURI uri = request.getHttpURI();
    String rawPath = uri.getPath();
    if (rawPath == null || !rawPath.contains(Fs123Protocol.MARKER)) {
      return false;
    }
    long t0 = System.nanoTime();
    String method = request.getMethod();
    boolean head = HttpMethod.HEAD.is(method);
    if (!head && !HttpMethod.GET.is(method)) {
      response.getHeaders().put(ALLOW);
      return plain(response, callback, 405, null, "fs123 serves GET and HEAD only, not " + method, t0);
    }
    if (request.getLength() > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING)) {
      return plain(response, callback, 413, null, "fs123 requests carry no body", t0);
    }
    Fs123Request r;
    try {
      r = Fs123Request.parse(rawPath, uri.getQuery());
    } catch (Fs123FormatException e) {
      return plain(response, callback, 400, null, e.getMessage(), t0);
    }
    if (r.kind() == RequestKind.FILE || r.kind() == RequestKind.XATTR || tree.mayWait(r.path())) {
      Thread.startVirtualThread(() -> {
        try {
          answer(r, request, response, callback, t0);
        } catch (Throwable x) {
          callback.failed(x);
        }
      });
    } else {
      answer(r, request, response, callback, t0);
    }
    return true;
  }

  private void answer(Fs123Request r, Request request, Response response, Callback callback, long t0) {
    try {
      switch (r.kind()) {
        case ATTRIBUTES -> attributes(r, response, callback, t0);
        case DIRECTORY -> directory(r, request, response, callback, t0);
        case FILE -> file(r, request, response, callback, t0);
        case LINK -> {
          byte[] target = tree.readlink(r.path());
          send(r.kind(), response, callback, ByteBuffer.wrap(target), Meta.ok(tree.cacheControl(r.path(), false)), t0);
        }
        case STATFS -> send(r.kind(), response, callback, ByteBuffer.wrap(tree.statfs(r.path()).encode()),
            Meta.ok(replyCacheControl.statfs()), t0);
        case XATTR -> xattr(r, response, callback, t0);
        case STATISTICS -> send(r.kind(), response, callback, ByteBuffer.wrap(metrics.statisticsText()),
            Meta.ok(replyCacheControl.statistics()), t0);
      }
    } catch (ErrnoException e) {
      errno(r, response, callback, e.errno(), t0);
    } catch (RuntimeException e) {
      LOG.error("fs123 {} failed", request.getHttpURI(), e);
      plain(response, callback, 500, r.kind(), "internal error: " + e, t0);
    }
  }

  private void attributes(Fs123Request r, Response response, Callback callback, long t0) throws ErrnoException {
    NodeAttributes na = tree.attributes(r.path());
    byte[] body = new AttrReply(na.stat(), na.validator()).encode();
    CacheControl cc = tree.cacheControl(r.path(), na.stat().isDirectory());
    send(r.kind(), response, callback, ByteBuffer.wrap(body), new Meta(0, cc, na.cookie(), 0, null), t0);
  }

  private void directory(Fs123Request r, Request request, Response response, Callback callback, long t0)
      throws ErrnoException {
    Fs123Query.Dir q = (Fs123Query.Dir) r.query();
    java.util.Optional<DirPage> attributed = q.withAttributes()
        ? tree.listWithAttributes(r.path(), q.begin(), q.offset(), q.budgetBytes()) : java.util.Optional.empty();
    DirPage page = attributed.isPresent() ? attributed.get() : tree.list(r.path(), q.begin(), q.offset(), q.budgetBytes());
    // Entry attributes change without the directory changing, so their tag covers the bytes.
    long tag = attributed.isPresent()
        ? EntityTag.of(page.validator(), page.cookie(), EntityTag.contentHash(page.body()))
        : EntityTag.of(page.validator(), page.cookie(), page.next().offset() * 31 + page.body().remaining());
    if (attributed.isPresent()) {
      response.getHeaders().add(ENTRY_ATTRIBUTES);
    }
    Meta meta = new Meta(0, tree.cacheControl(r.path(), true), page.cookie(), tag, page.next());
    if (notModified(request, tag)) {
      sendNotModified(r.kind(), response, callback, meta, page.body().remaining(), t0);
      return;
    }
    send(r.kind(), response, callback, page.body(), meta, t0);
  }

  private void file(Fs123Request r, Request request, Response response, Callback callback, long t0)
      throws ErrnoException {
    Fs123Query.File q = (Fs123Query.File) r.query();
    CacheControl cc = tree.cacheControl(r.path(), false);
    String ifNoneMatch = request.getHeaders().get(HttpHeader.IF_NONE_MATCH);
    if (ifNoneMatch != null) {
      NodeAttributes na = tree.attributes(r.path());
      if (na.stat().isRegularFile()) {
        long tag = EntityTag.of(na.validator(), na.cookie(), na.stat().size());
        if (EntityTag.matches(ifNoneMatch, tag)) {
          long data = Math.clamp(na.stat().size() - q.offsetBytes(), 0, q.lengthBytes());
          long length = Netstring.encodeUnsigned(na.validator()).length + data;
          sendNotModified(r.kind(), response, callback, new Meta(0, cc, na.cookie(), tag, null), length, t0);
          return;
        }
      }
    }
    RetainableByteBuffer pooled = request.getComponents().getByteBufferPool()
        .acquire(FILE_HEADROOM + q.lengthBytes(), true);
    boolean handedOver = false;
    try {
      ByteBuffer buf = pooled.getByteBuffer();
      buf.clear();
      buf.limit(FILE_HEADROOM + q.lengthBytes());
      buf.position(FILE_HEADROOM);
      FileRead read = tree.read(r.path(), q.offsetBytes(), buf);
      int end = buf.position();
      byte[] prefix = Netstring.encodeUnsigned(read.validator());
      int start = FILE_HEADROOM - prefix.length;
      buf.position(start);
      buf.put(prefix);
      buf.position(start).limit(end);
      long tag = EntityTag.of(read.validator(), read.cookie(), read.size());
      Callback release = new Callback() {
        @Override
        public void succeeded() {
          pooled.release();
          callback.succeeded();
        }

        @Override
        public void failed(Throwable x) {
          pooled.release();
          callback.failed(x);
        }

        @Override
        public InvocationType getInvocationType() {
          return callback.getInvocationType();
        }
      };
      handedOver = true;
      send(r.kind(), response, release, buf, new Meta(0, cc, read.cookie(), tag, null), t0);
    } finally {
      if (!handedOver) {
        pooled.release();
      }
    }
  }

  private void xattr(Fs123Request r, Response response, Callback callback, long t0) throws ErrnoException {
    Fs123Query.Xattr q = (Fs123Query.Xattr) r.query();
    byte[] value = tree.xattr(r.path(), q.name());
    CacheControl cc = tree.cacheControl(r.path(), false);
    if (q.lengthKiB() == 0) {
      byte[] size = Integer.toString(value.length).getBytes(StandardCharsets.US_ASCII);
      send(r.kind(), response, callback, ByteBuffer.wrap(size), Meta.ok(cc), t0);
    } else if (value.length > q.lengthKiB() * Fs123Protocol.KIB) {
      throw new ErrnoException(Errno.ERANGE, "value of " + value.length + " bytes exceeds Len");
    } else {
      // Exactly the value: padding would make clients report ERANGE.
      send(r.kind(), response, callback, ByteBuffer.wrap(value), Meta.ok(cc), t0);
    }
  }

  private void errno(Fs123Request r, Response response, Callback callback, int errno, long t0) {
    CacheControl cc = errno == Errno.ENOENT
        ? tree.cacheControl(r.path(), r.kind() == RequestKind.DIRECTORY)
        : replyCacheControl.forErrno(errno);
    // Never a cookie on an errno reply: the client requires it to be 0 there.
    send(r.kind(), response, callback, ByteBuffer.allocate(0), new Meta(errno, cc, 0, 0, null), t0);
  }

  private static boolean notModified(Request request, long tag) {
    String inm = request.getHeaders().get(HttpHeader.IF_NONE_MATCH);
    return inm != null && EntityTag.matches(inm, tag);
  }

  private HttpField cacheControlField(CacheControl cc) {
    return cacheControlFields.computeIfAbsent(cc, c -> {
      if (cacheControlFields.size() > 10_000) {
        cacheControlFields.clear();
      }
      return new PreEncodedHttpField(HttpHeader.CACHE_CONTROL, c.format());
    });
  }

  /** The response has no fields of its own yet, so these are appended rather than searched and replaced. */
  private void putFs123Headers(HttpFields.Mutable h, Meta meta) {
    h.add(meta.errno() == 0 ? ERRNO_OK : new HttpField(Fs123Protocol.ERRNO_HEADER, Integer.toString(meta.errno())));
    h.add(cacheControlField(meta.cacheControl()));
    if (meta.errno() == 0 && meta.cookie() != 0) {
      h.add(Fs123Protocol.ESTALE_COOKIE_HEADER, Long.toUnsignedString(meta.cookie()));
    }
    if (meta.etag() != 0) {
      h.add(HttpHeader.ETAG, EntityTag.format(meta.etag()));
    }
  }

  private void send(RequestKind kind, Response response, Callback callback, ByteBuffer body, Meta meta, long t0) {
    response.setStatus(200);
    HttpFields.Mutable h = response.getHeaders();
    putFs123Headers(h, meta);
    if (meta.next() != null && meta.errno() == 0) {
      h.add(Fs123Protocol.NEXT_OFFSET_HEADER, meta.next().format());
    }
    h.add(OCTET_STREAM);
    int length = body.remaining();
    h.put(HttpHeader.CONTENT_LENGTH, length);
    metrics.record(kind, 200, meta.errno(), length, System.nanoTime() - t0);
    response.write(true, body, callback);
  }

  /**
   * A 304 with the fs123 headers. Its Content-Length is that of the 200 it stands for (RFC 9110 8.6):
   * left to itself Jetty would send "Content-Length: 0", and Squid copies a 304's headers onto the
   * cached reply, which then reached every later reader with an empty body.
   */
  private void sendNotModified(RequestKind kind, Response response, Callback callback, Meta meta,
      long representationLength, long t0) {
    response.setStatus(304);
    putFs123Headers(response.getHeaders(), meta);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, representationLength);
    metrics.record(kind, 304, 0, 0, System.nanoTime() - t0);
    response.write(true, null, callback);
  }

  private boolean plain(Response response, Callback callback, int status, RequestKind kind, String message, long t0) {
    response.setStatus(status);
    response.getHeaders().put(TEXT);
    byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    metrics.record(kind, status, 0, 0, System.nanoTime() - t0);
    response.write(true, ByteBuffer.wrap(body), callback);
    return true;
  }
}
