package org.keepfs.client.write.http;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPut;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.keepfs.manifest.PortableDataHash;

/** The gateway's collections API as the writer uses it: read a head, and move it with compare-and-swap. */
public final class CollectionApiClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A collection's head: its PDH and manifest text (signed when the gateway signs). */
  public record Head(PortableDataHash pdh, String manifestText) {}

  /** The head is not where the update started from. */
  public static final class HeadMovedException extends IOException {
    private static final long serialVersionUID = 1L;

    public HeadMovedException(String message) {
      super(message);
    }
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  record Reply(@JsonProperty("portable_data_hash") String pdh, @JsonProperty("manifest_text") String manifestText) {}

  private final GatewayHttp http;

  public CollectionApiClient(GatewayHttp http) {
    this.http = http;
  }

  private String path(String name) {
    return "/collections/" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** The head of collection {@code name}, or empty when there is no such collection. */
  public Optional<Head> head(String name) throws IOException {
    GatewayHttp.Reply reply = http.execute("GET " + path(name), () -> new HttpGet(http.resolve(path(name))));
    if (reply.status() == 404) {
      return Optional.empty();
    }
    return Optional.of(parse(reply, "GET " + path(name)));
  }

  /** The manifest stored under {@code pdh} ({@code GET /by_id/<pdh>/manifest}). */
  public String manifest(PortableDataHash pdh) throws IOException {
    String path = "/by_id/" + pdh + "/manifest";
    GatewayHttp.Reply reply = http.execute("GET " + path, () -> new HttpGet(http.resolve(path)));
    if (reply.status() != 200) {
      throw new HttpStatusException(reply.status(), "GET " + path + ": " + reply.status() + " " + reply.text().trim());
    }
    return reply.text();
  }

  /**
   * Points {@code name} at {@code manifestText} if its head is still {@code expected} (empty: the
   * collection must not exist yet).
   *
   * @throws HeadMovedException when the head is elsewhere (412)
   */
  public Head swap(String name, Optional<PortableDataHash> expected, String manifestText) throws IOException {
    byte[] body = JSON.writeValueAsBytes(Map.of("manifest_text", manifestText));
    String what = "PUT " + path(name) + expected.map(p -> " If-Match " + p).orElse(" If-None-Match *");
    GatewayHttp.Reply reply = http.execute(what, () -> {
      HttpPut put = new HttpPut(http.resolve(path(name)));
      if (expected.isPresent()) {
        put.setHeader("If-Match", "\"" + expected.get() + "\"");
      } else {
        put.setHeader("If-None-Match", "*");
      }
      put.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_JSON));
      return put;
    });
    if (reply.status() == 412) {
      throw new HeadMovedException(what + ": the head moved (" + reply.text().trim() + ")");
    }
    return parse(reply, what);
  }

  private static Head parse(GatewayHttp.Reply reply, String what) throws IOException {
    if (reply.status() != 200 && reply.status() != 201) {
      throw new HttpStatusException(reply.status(), what + ": " + reply.status() + " " + reply.text().trim());
    }
    Reply r = JSON.readValue(reply.body(), Reply.class);
    if (r.pdh() == null || r.manifestText() == null) {
      throw new IOException(what + ": the reply has no portable_data_hash or manifest_text");
    }
    return new Head(PortableDataHash.parse(r.pdh()), r.manifestText());
  }
}
