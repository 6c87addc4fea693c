package org.keepfs.gateway.fs123;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.keepfs.fs123.CacheControl;
import org.keepfs.gateway.export.ExportSettings;
import org.keepfs.gateway.export.PosixExportTree;
import org.keepfs.gateway.server.AccessLog;
import org.keepfs.gateway.server.GatewayServer;
import org.keepfs.gateway.tree.CompositeTree;
import org.keepfs.gateway.tree.Fs123Tree;

/** A real gateway on 127.0.0.1 (free port) serving one export named "data", and a real HTTP client. */
final class Gateway implements AutoCloseable {
  final GatewayServer server;
  final PosixExportTree export;
  final CloseableHttpClient http = HttpClients.custom().disableContentCompression().disableAutomaticRetries()
      .disableRedirectHandling().build();

  record Reply(int status, Map<String, String> headers, byte[] body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    int errno() {
      return Integer.parseInt(header("fs123-errno"));
    }

    long cookie() {
      String c = header("fs123-estalecookie");
      return c == null ? 0 : Long.parseUnsignedLong(c);
    }

    CacheControl cacheControl() {
      return CacheControl.parse(header("cache-control"));
    }
  }

  Gateway(Path data) throws Exception {
    this(data, ExportSettings.defaults(), null);
  }

  Gateway(Path data, ExportSettings settings, AccessLog log) throws Exception {
    export = new PosixExportTree("data", data, settings);
    Instant now = Instant.now();
    Fs123Tree root = new CompositeTree(Map.of("data", export), settings.defaultCacheControl(),
        now.getEpochSecond() * 1_000_000_000L + now.getNano());
    GatewayServer.Builder b = GatewayServer.builder().listen(new InetSocketAddress("127.0.0.1", 0)).tree(root);
    if (log != null) {
      b.accessLog(log);
    }
    server = b.build();
    server.start();
  }

  String base() {
    return "http://127.0.0.1:" + server.port();
  }

  Reply get(String pathAndQuery, String... headerPairs) throws IOException {
    return execute("GET", pathAndQuery, headerPairs);
  }

  Reply execute(String method, String pathAndQuery, String... headerPairs) throws IOException {
    HttpUriRequestBase req = new HttpUriRequestBase(method, java.net.URI.create(base() + pathAndQuery));
    for (int i = 0; i < headerPairs.length; i += 2) {
      req.addHeader(headerPairs[i], headerPairs[i + 1]);
    }
    return http.execute(req, resp -> {
      Map<String, String> h = new LinkedHashMap<>();
      for (Header x : resp.getHeaders()) {
        h.merge(x.getName().toLowerCase(Locale.ROOT), x.getValue(), (a, b) -> a + ", " + b);
      }
      byte[] body = resp.getEntity() == null ? new byte[0] : EntityUtils.toByteArray(resp.getEntity());
      return new Reply(resp.getCode(), h, body);
    });
  }

  /** Sends exactly {@code target} as the request target over a plain socket (no client-side normalising). */
  Reply raw(String method, String target, String extraHeaders) throws IOException {
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      OutputStream out = s.getOutputStream();
      out.write((method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + extraHeaders + "\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      in.transferTo(all);
      String text = all.toString(StandardCharsets.ISO_8859_1);
      int end = text.indexOf("\r\n\r\n");
      String[] lines = text.substring(0, end).split("\r\n");
      int status = Integer.parseInt(lines[0].split(" ")[1]);
      Map<String, String> h = new LinkedHashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int c = lines[i].indexOf(':');
        h.put(lines[i].substring(0, c).toLowerCase(Locale.ROOT), lines[i].substring(c + 1).strip());
      }
      return new Reply(status, h, text.substring(end + 4).getBytes(StandardCharsets.ISO_8859_1));
    }
  }

  @Override
  public void close() throws Exception {
    http.close();
    server.close();
    export.close();
  }
}
