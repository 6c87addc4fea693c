package org.keepfs.gateway.fs123;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.keepfs.gateway.cli.GatewayCommand;
import org.keepfs.gateway.cli.Serving;
import org.keepfs.locator.Locator;
import org.keepfs.manifest.Manifest;
import org.keepfs.manifest.Segment;
import org.keepfs.manifest.TreeBuilder;
import org.keepfs.store.Md5;
import picocli.CommandLine;

/**
 * The real {@code keepfs gateway} command, started in-process on 127.0.0.1 (port 0, read back from its
 * port file) with a Keep data directory and a write token; blocks go in through {@code /keep/} and
 * collections through the JSON API, as any client would put them there.
 */
final class KeepGateway implements AutoCloseable {
  static final String TOKEN = "writer-token";
  private static final ObjectMapper JSON = new ObjectMapper();

  final Path data;
  final int port;
  private final Serving serving;
  private final CloseableHttpClient http = HttpClients.custom().disableContentCompression().disableAutomaticRetries()
      .disableRedirectHandling().build();

  KeepGateway(Path dir, String... extraArgs) throws Exception {
    data = dir.resolve("keep-data");
    Path tokens = dir.resolve("write-tokens");
    Files.writeString(tokens, TOKEN + "\n");
    Path portfile = dir.resolve("port");
    List<String> args = new ArrayList<>(List.of("--data", data.toString(), "--write-token-file", tokens.toString(),
        "--listen", "127.0.0.1:0", "--portfile", portfile.toString()));
    args.addAll(List.of(extraArgs));
    GatewayCommand command = new GatewayCommand();
    new CommandLine(command).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(args.toArray(new String[0]));
    serving = command.serve();
    port = Integer.parseInt(Files.readString(portfile).strip());
  }

  String base() {
    return "http://127.0.0.1:" + port;
  }

  Gateway.Reply get(String pathAndQuery, String... headerPairs) throws IOException {
    return execute("GET", pathAndQuery, null, headerPairs);
  }

  Gateway.Reply execute(String method, String pathAndQuery, byte[] body, String... headerPairs) throws IOException {
    HttpUriRequestBase req = new HttpUriRequestBase(method, java.net.URI.create(base() + pathAndQuery));
    for (int i = 0; i < headerPairs.length; i += 2) {
      req.addHeader(headerPairs[i], headerPairs[i + 1]);
    }
    if (body != null) {
      req.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_OCTET_STREAM));
    }
    return http.execute(req, resp -> {
      Map<String, String> h = new LinkedHashMap<>();
      for (Header x : resp.getHeaders()) {
        h.merge(x.getName().toLowerCase(Locale.ROOT), x.getValue(), (a, b) -> a + ", " + b);
      }
      byte[] b = resp.getEntity() == null ? new byte[0] : EntityUtils.toByteArray(resp.getEntity());
      return new Gateway.Reply(resp.getCode(), h, b);
    });
  }

  /** PUTs a block through /keep/ and returns its locator. */
  Locator putBlock(byte[] content) throws IOException {
    String md5 = Md5.hex(java.nio.ByteBuffer.wrap(content));
    Gateway.Reply r = execute("PUT", "/keep/" + md5, content, "Authorization", "Bearer " + TOKEN);
    if (r.status() != 200) {
      throw new IOException("PUT /keep/" + md5 + ": " + r.status() + " " + r.text());
    }
    return Locator.parse(r.text().strip());
  }

  /** Creates ({@code basePdh} null) or updates a named collection; returns the API's reply. */
  Gateway.Reply putCollection(String name, String manifestText, String basePdh) throws IOException {
    byte[] body = JSON.writeValueAsBytes(Map.of("manifest_text", manifestText));
    String[] condition = basePdh == null ? new String[] {"If-None-Match", "*"} : new String[] {"If-Match", "\"" + basePdh + "\""};
    return execute("PUT", "/collections/" + org.keepfs.fs123.PathCodec.encode(name), body, "Authorization",
        "Bearer " + TOKEN, condition[0], condition[1]);
  }

  /** Creates or updates a collection and returns its new PDH, failing on any other answer. */
  String commit(String name, String manifestText, String basePdh) throws IOException {
    Gateway.Reply r = putCollection(name, manifestText, basePdh);
    if (r.status() != 200 && r.status() != 201) {
      throw new IOException("PUT /collections/" + name + ": " + r.status() + " " + r.text());
    }
    JsonNode reply = JSON.readTree(r.body());
    return reply.get("portable_data_hash").asText();
  }

  /** Manifest text for files given as path -> segments. */
  static String manifest(Map<String, List<Segment>> files) {
    TreeBuilder b = new TreeBuilder();
    files.forEach(b::appendToFile);
    return new String(Manifest.of(b.build()).text(), StandardCharsets.UTF_8);
  }

  /** A whole block as one segment. */
  static Segment whole(Locator block) {
    return new Segment(block, 0, block.size());
  }

  @Override
  public void close() throws Exception {
    http.close();
    serving.close();
  }
}
