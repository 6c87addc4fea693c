package org.keepfs.client.writable.tools;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.keepfs.gateway.cli.GatewayCommand;
import org.keepfs.gateway.cli.Serving;
import org.keepfs.gateway.collections.CollectionReply;
import picocli.CommandLine;

/**
 * The real {@code keepfs gateway} command, in this JVM on 127.0.0.1: Keep blocks and the collections API
 * on a local data directory, collections over fs123 for read-only mounts, an export {@code data} (one
 * file, {@code plain.txt}), an access log. It can be
 * stopped and started again on the same port and data, as an operator restarting it would.
 */
final class LiveGateway implements AutoCloseable {
  static final String TOKEN = "tools-test-token";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;
  private final HttpClient http = HttpClient.newHttpClient();
  private Serving serving;
  private int port;

  private LiveGateway(Path dir) {
    this.dir = dir;
  }

  /** Starts a gateway keeping its data, token file and access log under {@code dir}. */
  static LiveGateway start(Path dir) throws Exception {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("write-tokens"), TOKEN + "\n");
    Files.writeString(dir.resolve("token"), TOKEN + "\n");
    Files.createDirectories(dir.resolve("export"));
    Files.writeString(dir.resolve("export").resolve("plain.txt"), "exported\n");
    LiveGateway g = new LiveGateway(dir);
    g.listen(0);
    return g;
  }

  private void listen(int p) throws Exception {
    GatewayCommand command = new GatewayCommand();
    new CommandLine(command).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(
        "--listen", "127.0.0.1:" + p, "--data", dir.resolve("data").toString(),
        "--write-token-file", dir.resolve("write-tokens").toString(),
        "--access-log", accessLog().toString(), "--export", "data=" + exportDir());
    serving = command.serve();
    port = serving.server().port();
  }

  /** The directory the gateway exports read-only as {@code /data}. */
  Path exportDir() {
    return dir.resolve("export");
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** The file a client passes as {@code --token-file}. */
  Path tokenFile() {
    return dir.resolve("token");
  }

  Path accessLog() {
    return dir.resolve("access.log");
  }

  /** Stops serving (connections are refused) until {@link #restart}; the data stays. */
  void stop() {
    if (serving != null) {
      serving.close();
      serving = null;
    }
  }

  /** Serves the same data on the same port again. */
  void restart() throws Exception {
    if (serving != null) {
      throw new IllegalStateException("the gateway is already serving on port " + port);
    }
    listen(port);
  }

  /** The collection's head as the collections API returns it, or empty when there is none. */
  Optional<CollectionReply> collection(String name) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri().resolve("/collections/" + name))
        .header("Authorization", "Bearer " + TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    if (r.statusCode() == 404) {
      return Optional.empty();
    }
    if (r.statusCode() != 200) {
      throw new IOException("GET /collections/" + name + " answered " + r.statusCode() + ": " + r.body());
    }
    return Optional.of(JSON.readValue(r.body(), CollectionReply.class));
  }

  /** The access log's lines for requests with this method whose path starts with {@code pathPrefix}. */
  List<String> requests(String method, String pathPrefix) throws IOException {
    if (!Files.exists(accessLog())) {
      return List.of();
    }
    // Lines: TIME REMOTE METHOD PATH?QUERY STATUS BYTES MICROS
    return Files.readAllLines(accessLog(), StandardCharsets.UTF_8).stream()
        .filter(l -> {
          String[] f = l.split(" ");
          return f.length > 3 && f[2].equals(method) && f[3].startsWith(pathPrefix);
        })
        .toList();
  }

  @Override
  public void close() {
    stop();
  }
}
