package org.keepfs.gateway.collections;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.keepfs.collection.CollectionStore;
import org.keepfs.gateway.keep.KeepAccess;
import org.keepfs.gateway.keep.KeepBlockHandler;
import org.keepfs.gateway.keep.KeepStatus;
import org.keepfs.gateway.keep.TextReply;
import org.keepfs.manifest.PortableDataHash;
import org.keepfs.store.StoreChain;

/**
 * {@code GET /by_id/<pdh>/manifest}: the manifest stored under that hash, as text. Unsigned, it
 * never changes and is cacheable for a year; signed (signing on), it is per token and expires, so it
 * is private and short-lived. Other paths under {@code /by_id/} are left to the next handler (the
 * fs123 tree of the collection).
 */
public final class ManifestByIdHandler extends Handler.Abstract {
  /** The prefix this handler answers. */
  public static final String PREFIX = "/by_id/";

  private static final String SUFFIX = "/manifest";

  private final CollectionStore collections;
  private final KeepAccess access;
  private final ManifestCheck check;

  public ManifestByIdHandler(CollectionStore collections, StoreChain stores, KeepAccess access) {
    this.collections = collections;
    this.access = access;
    this.check = new ManifestCheck(stores, access);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String path = request.getHttpURI().getPath();
    if (path == null || !path.startsWith(PREFIX) || !path.endsWith(SUFFIX)
        || path.indexOf('/', PREFIX.length()) != path.length() - SUFFIX.length()) {
      return false;
    }
    if (!request.getMethod().equals("GET") && !request.getMethod().equals("HEAD")) {
      response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
      TextReply.send(response, callback, 405, "manifests by hash are read-only");
      return true;
    }
    try {
      PortableDataHash pdh;
      try {
        pdh = PortableDataHash.parse(path.substring(PREFIX.length(), path.length() - SUFFIX.length()));
      } catch (IllegalArgumentException e) {
        TextReply.send(response, callback, 400, "not a portable data hash: " + e.getMessage());
        return true;
      }
      Optional<String> token = KeepAccess.token(request.getHeaders().get(HttpHeader.AUTHORIZATION));
      access.checkRead(token);
      Optional<String> text = collections.manifest(pdh);
      if (text.isEmpty()) {
        TextReply.send(response, callback, 404, "no manifest is stored under " + pdh);
        return true;
      }
      String etag = "\"" + pdh + "\"";
      boolean signed = access.signer().isPresent() && token.isPresent();
      response.getHeaders().put(HttpHeader.ETAG, etag);
      response.getHeaders().put(HttpHeader.CACHE_CONTROL, signed
          ? "private, max-age=" + access.signer().get().ttl().toSeconds() / 2
          : KeepBlockHandler.IMMUTABLE);
      if (!signed && etag.equals(request.getHeaders().get(HttpHeader.IF_NONE_MATCH))) {
        response.setStatus(304);
        callback.succeeded();
        return true;
      }
      byte[] body = check.signFor(text.get(), token).getBytes(StandardCharsets.UTF_8);
      response.setStatus(200);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
      response.write(true, request.getMethod().equals("HEAD") ? null : ByteBuffer.wrap(body), callback);
    } catch (Exception e) {
      TextReply.send(response, callback, KeepStatus.of(e), String.valueOf(e.getMessage()));
    }
    return true;
  }
}
