package org.keepfs.gateway.collections;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.keepfs.collection.CollectionHead;
import org.keepfs.collection.CollectionName;
import org.keepfs.collection.CollectionStore;
import org.keepfs.collection.HeadMovedException;
import org.keepfs.gateway.keep.AccessDeniedException;
import org.keepfs.gateway.keep.KeepAccess;
import org.keepfs.gateway.keep.KeepStatus;
import org.keepfs.gateway.keep.TextReply;
import org.keepfs.manifest.PortableDataHash;
import org.keepfs.store.StoreChain;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /collections/<name>}: the head and its manifest as JSON, with ETag {@code "<pdh>"}.
 * {@code PUT /collections/<name>} with {@code {"manifest_text": ...}} and either {@code If-Match:
 * "<pdh>"} (update from that head) or {@code If-None-Match: *} (create): 412 when the head is
 * elsewhere, 400 for an invalid manifest or one naming blocks the writer cannot prove it has.
 */
public final class CollectionApiHandler extends Handler.Abstract {
  private static final Logger LOG = LoggerFactory.getLogger(CollectionApiHandler.class);

  /** The prefix this handler answers. */
  public static final String PREFIX = "/collections/";

  /** Larger bodies are refused with 413; a 64 MiB manifest describes petabytes. */
  public static final int MAX_BODY_BYTES = 64 << 20;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final CollectionStore collections;
  private final KeepAccess access;
  private final ManifestCheck check;

  public CollectionApiHandler(CollectionStore collections, StoreChain stores, KeepAccess access) {
    this.collections = collections;
    this.access = access;
    this.check = new ManifestCheck(stores, access);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String rawPath = request.getHttpURI().getPath();
    // Deeper paths (/collections/<name>/...) are the collection's tree, served by the fs123 handler.
    if (rawPath == null || !rawPath.startsWith(PREFIX) || rawPath.indexOf('/', PREFIX.length()) >= 0) {
      return false;
    }
    try {
      String name = CollectionName.check(URLDecoder.decode(rawPath.substring(PREFIX.length()).replace("+", "%2B"),
          StandardCharsets.UTF_8));
      Optional<String> token = KeepAccess.token(request.getHeaders().get(HttpHeader.AUTHORIZATION));
      switch (request.getMethod()) {
        case "GET", "HEAD" -> get(request, response, callback, name, token);
        case "PUT" -> put(request, response, callback, name, token);
        default -> {
          response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD, PUT");
          TextReply.send(response, callback, 405, request.getMethod() + " is not supported on collections");
        }
      }
    } catch (IllegalArgumentException e) {
      TextReply.send(response, callback, 400, e.getMessage());
    } catch (ManifestCheck.RejectedManifestException e) {
      TextReply.send(response, callback, 400, e.getMessage());
    } catch (HeadMovedException e) {
      e.current().ifPresent(p -> response.getHeaders().put(HttpHeader.ETAG, "\"" + p + "\""));
      TextReply.send(response, callback, 412, e.getMessage());
    } catch (Exception e) {
      int status = KeepStatus.of(e);
      if (status >= 500) {
        LOG.warn("{} {}: {}", request.getMethod(), rawPath, e.toString());
      }
      TextReply.send(response, callback, status, String.valueOf(e.getMessage()));
    }
    return true;
  }

  private void get(Request request, Response response, Callback callback, String name, Optional<String> token)
      throws IOException, AccessDeniedException {
    access.checkRead(token);
    Optional<CollectionHead> head = collections.head(name);
    if (head.isEmpty()) {
      TextReply.send(response, callback, 404, "there is no collection named '" + name + "'");
      return;
    }
    CollectionHead h = head.get();
    String etag = "\"" + h.pdh() + "\"";
    response.getHeaders().put(HttpHeader.ETAG, etag);
    // The head moves, so every use must revalidate; the ETag makes that a cheap 304.
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "private, no-cache");
    if (etag.equals(request.getHeaders().get(HttpHeader.IF_NONE_MATCH))) {
      response.setStatus(304);
      callback.succeeded();
      return;
    }
    reply(request, response, callback, 200, h, token);
  }

  private void reply(Request request, Response response, Callback callback, int status, CollectionHead head,
      Optional<String> token) throws IOException {
    String text = collections.manifest(head.pdh()).orElseThrow(() -> new IOException(
        "collection '" + head.name() + "' points at manifest " + head.pdh() + ", which the store does not have"));
    CollectionReply body = new CollectionReply(head.name(), head.pdh().toString(), check.signFor(text, token),
        head.modifiedAt().toString(), head.version());
    byte[] json = JSON.writeValueAsBytes(body);
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.ETAG, "\"" + head.pdh() + "\"");
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, json.length);
    response.write(true, "HEAD".equals(request.getMethod()) ? null : ByteBuffer.wrap(json), callback);
  }

  private void put(Request request, Response response, Callback callback, String name, Optional<String> token)
      throws Exception {
    String writer = access.checkWrite(token);
    Optional<PortableDataHash> expected;
    String ifMatch = request.getHeaders().get(HttpHeader.IF_MATCH);
    String ifNoneMatch = request.getHeaders().get(HttpHeader.IF_NONE_MATCH);
    if (ifMatch != null && ifNoneMatch == null) {
      expected = Optional.of(parseEtag(ifMatch));
    } else if (ifNoneMatch != null && ifMatch == null && ifNoneMatch.trim().equals("*")) {
      expected = Optional.empty();
    } else {
      TextReply.send(response, callback, 428,
          "say which head this update starts from: If-Match: \"<pdh>\" to update, If-None-Match: * to create");
      return;
    }
    long declared = request.getLength();
    if (declared > MAX_BODY_BYTES) {
      TextReply.send(response, callback, 413, "the body is " + declared + " bytes; at most " + MAX_BODY_BYTES + " are accepted");
      return;
    }
    byte[] body;
    try (InputStream in = Content.Source.asInputStream(request)) {
      body = in.readNBytes(MAX_BODY_BYTES + 1);
    }
    if (body.length > MAX_BODY_BYTES) {
      TextReply.send(response, callback, 413, "the body is over " + MAX_BODY_BYTES + " bytes");
      return;
    }
    CollectionUpdate update;
    try {
      update = JSON.readValue(body, CollectionUpdate.class);
    } catch (JacksonException e) {
      throw new IllegalArgumentException("the body is not JSON of the form {\"manifest_text\": \"...\"}: "
          + e.getOriginalMessage());
    }
    if (update == null || update.manifestText() == null) {
      throw new IllegalArgumentException("the body has no \"manifest_text\"");
    }
    String stored = check.accept(update.manifestText(), writer);
    PortableDataHash pdh = collections.putManifest(stored);
    CollectionHead head = collections.swapHead(name, expected, pdh);
    reply(request, response, callback, expected.isEmpty() ? 201 : 200, head, token);
  }

  private static PortableDataHash parseEtag(String value) {
    String v = value.trim();
    if (v.startsWith("W/")) {
      v = v.substring(2);
    }
    if (v.length() < 2 || !v.startsWith("\"") || !v.endsWith("\"")) {
      throw new IllegalArgumentException("If-Match must be a quoted portable data hash, \"<md5>+<size>\", not " + value);
    }
    return PortableDataHash.parse(v.substring(1, v.length() - 1));
  }
}
