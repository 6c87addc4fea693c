package org.keepfs.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keepfs.fs123.DirEntry;
import picocli.CommandLine;

/**
 * {@code keepfs gateway} with the Keep side: the real command started in-process on port 0 (read back
 * from its port file) with {@code --data}, {@code --export}, both or neither.
 */
class GatewayKeepCommandTest {
  static final String TOKEN = "w-token";
  static final byte[] FOO = "foo".getBytes(StandardCharsets.UTF_8);
  static final String FOO_MD5 = "acbd18db4cc2f85cedef654fccc4a4d8";

  @TempDir Path dir;
  final HttpClient http = HttpClient.newHttpClient();
  final List<AutoCloseable> running = new ArrayList<>();
  Process process;
  int port;

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : running) {
      c.close();
    }
    if (process != null && process.isAlive()) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** Parses {@code args} as the command line would, serves, and reads the port from the port file. */
  Serving serve(String... args) throws Exception {
    Path portfile = dir.resolve("port");
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--listen", "127.0.0.1:0", "--portfile", portfile.toString()));
    GatewayCommand command = new GatewayCommand();
    new CommandLine(command).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(all.toArray(new String[0]));
    Serving s = command.serve();
    running.add(s);
    port = Integer.parseInt(Files.readString(portfile).strip());
    assertEquals(s.server().port(), port);
    return s;
  }

  HttpResponse<byte[]> send(String method, String path, byte[] body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  static String text(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  List<String> rootNames() throws Exception {
    HttpResponse<byte[]> r = send("GET", "/fs123/7/2/d?128;1;0", null);
    assertEquals(200, r.statusCode());
    return DirEntry.parseAll(r.body()).stream().map(DirEntry::name).filter(n -> !n.startsWith(".")).toList();
  }

  Path tokens() throws Exception {
    Path t = dir.resolve("tokens");
    Files.writeString(t, TOKEN + "\n");
    return t;
  }

  static double metric(String scrape, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape);
    assertTrue(m.find(), () -> series + " not in /metrics:\n" + scrape);
    return Double.parseDouble(m.group(1));
  }

  @Test
  void dataAndExportsTogetherServeBlocksCollectionsAndBothTreesWithKeepRequestsInMetrics() throws Exception {
    Path export = Files.createDirectory(dir.resolve("export"));
    Files.writeString(export.resolve("hello"), "hi");
    Path data = dir.resolve("data");
    serve("--data", data.toString(), "--write-token-file", tokens().toString(), "--export", "files=" + export);

    HttpResponse<byte[]> put = send("PUT", "/keep/" + FOO_MD5, FOO, "Authorization", "Bearer " + TOKEN);
    assertEquals(200, put.statusCode(), text(put));
    String locator = text(put).strip();
    assertEquals(FOO_MD5 + "+3", locator);
    assertTrue(Files.exists(data.resolve("blocks/acb/" + FOO_MD5)), "the block is in --data");
    assertEquals("foo", text(send("GET", "/keep/" + locator, null)));

    byte[] body = new ObjectMapper().writeValueAsBytes(Map.of("manifest_text", ". " + locator + " 0:3:foo.txt\n"));
    HttpResponse<byte[]> created = send("PUT", "/collections/mine", body, "Authorization", "Bearer " + TOKEN,
        "If-None-Match", "*", "Content-Type", "application/json");
    assertEquals(201, created.statusCode(), text(created));
    JsonNode read = new ObjectMapper().readTree(send("GET", "/collections/mine", null).body());
    assertEquals(". " + locator + " 0:3:foo.txt\n", read.get("manifest_text").asText());
    String pdh = read.get("portable_data_hash").asText();
    assertEquals(". " + locator + " 0:3:foo.txt\n", text(send("GET", "/by_id/" + pdh + "/manifest", null)));

    assertEquals(List.of("files", "by_id", "collections"), rootNames());
    assertTrue(text(send("GET", "/fs123/7/2/f/files/hello?128;0", null)).endsWith(",hi"), "the export still serves");
    assertTrue(text(send("GET", "/fs123/7/2/f/collections/mine/foo.txt?128;0", null)).endsWith(",foo"));
    assertTrue(text(send("GET", "/fs123/7/2/f/by_id/" + pdh + "/foo.txt?128;0", null)).endsWith(",foo"));

    String scrape = text(send("GET", "/metrics", null));
    assertEquals(1.0, metric(scrape, "keepfs_http_requests_total{method=\"PUT\",route=\"/keep\",status=\"200\"}"));
    assertEquals(1.0, metric(scrape, "keepfs_http_requests_total{method=\"GET\",route=\"/keep\",status=\"200\"}"));
    assertEquals(1.0, metric(scrape, "keepfs_http_requests_total{method=\"PUT\",route=\"/collections\",status=\"201\"}"));
    assertEquals(1.0, metric(scrape, "keepfs_http_requests_total{method=\"GET\",route=\"/by_id\",status=\"200\"}"));
    assertEquals(3.0, metric(scrape, "keepfs_http_request_bytes_total{route=\"/keep\"}"), "the block's bytes came in");
    assertTrue(metric(scrape, "keepfs_http_response_bytes_total{route=\"/keep\"}") >= 3.0 + locator.length());
    assertTrue(metric(scrape, "keepfs_fs123_requests_total{kind=\"f\",status=\"200\"}") >= 3.0, "fs123 is counted beside");
    assertFalse(scrape.contains("keepfs_keep_requests_total") || scrape.contains("keepfs_keep_sent_bytes"),
        "block requests are counted once, by route");
  }

  @Test
  void dataAloneGivesAKeepServiceAndTheCollectionTrees() throws Exception {
    Path data = dir.resolve("data");
    serve("--data", data.toString());
    assertEquals(List.of("by_id", "collections"), rootNames());
    assertEquals(404, send("GET", "/keep/" + FOO_MD5 + "+3", null).statusCode());
    HttpResponse<byte[]> refused = send("PUT", "/keep/" + FOO_MD5, FOO);
    assertEquals(403, refused.statusCode(), "no --write-token-file: writes are off");
    assertTrue(text(refused).contains("--write-token-file"), text(refused));
    assertEquals(404, send("GET", "/collections/none", null).statusCode());
    assertTrue(Files.isDirectory(data.resolve("collections")));
  }

  @Test
  void exportsAloneServeNoKeepSide() throws Exception {
    Path export = Files.createDirectory(dir.resolve("export"));
    serve("--export", "files=" + export);
    assertEquals(List.of("files"), rootNames());
    HttpResponse<byte[]> keep = send("GET", "/keep/" + FOO_MD5 + "+3", null);
    assertEquals(404, keep.statusCode());
    assertTrue(text(keep).contains("nothing is served at /keep/"), text(keep));
  }

  @Test
  void whenReadsNeedATokenCollectionsStayOffFs123() throws Exception {
    Path readTokens = dir.resolve("read-tokens");
    Files.writeString(readTokens, "reader\n");
    serve("--data", dir.resolve("data").toString(), "--read-token-file", readTokens.toString());
    assertEquals(List.of(), rootNames(), "fs123 cannot carry the token");
    assertEquals(401, send("GET", "/collections/x", null).statusCode());
    assertEquals(404, send("GET", "/collections/x", null, "Authorization", "Bearer reader").statusCode());
  }

  @Test
  void badCombinationsAreUsageErrors() throws Exception {
    Path export = Files.createDirectory(dir.resolve("export"));
    GatewayCommandTest.Run r = GatewayCommandTest.run("--data", dir.resolve("d").toString(), "--export", "by_id=" + export,
        "--listen", "127.0.0.1:0");
    assertNotEquals(0, r.exit());
    assertTrue(r.err().contains("the name by_id is where the gateway serves collections"), r.err());
    r = GatewayCommandTest.run("--data", dir.resolve("d").toString(), "--collection-max-age", "-1", "--listen", "127.0.0.1:0");
    assertNotEquals(0, r.exit());
    assertTrue(r.err().contains("--collection-max-age must not be negative"), r.err());
    Path notADir = Files.writeString(dir.resolve("file"), "x");
    r = GatewayCommandTest.run("--data", notADir.toString(), "--listen", "127.0.0.1:0");
    assertNotEquals(0, r.exit());
    assertTrue(r.err().contains("--data " + notADir), r.err());
  }

  @Test
  void theEmbeddedDefaultFollowsXdgDataHome() {
    assertEquals(Path.of("/x/data/keepfs"), EmbeddedDataDirectory.of(Map.of("XDG_DATA_HOME", "/x/data"), "/home/u"));
    assertEquals(Path.of("/home/u/.local/share/keepfs"), EmbeddedDataDirectory.of(Map.of(), "/home/u"));
    assertEquals(Path.of("/home/u/.local/share/keepfs"), EmbeddedDataDirectory.of(Map.of("XDG_DATA_HOME", ""), "/home/u"));
    assertEquals(Path.of("/home/u/.local/share/keepfs"), EmbeddedDataDirectory.of(Map.of("XDG_DATA_HOME", "rel"), "/home/u"),
        "the XDG spec says to ignore relative paths");
  }

  @Test
  void withNeitherDataNorExportsTheProcessUsesTheEmbeddedDefaultAndSaysSo() throws Exception {
    Path xdg = dir.resolve("xdg");
    Path portfile = dir.resolve("port");
    List<String> cmd = List.of(ProcessHandle.current().info().command().orElseThrow(), "--enable-native-access=ALL-UNNAMED",
        "-cp", System.getProperty("java.class.path"), GatewayCommand.class.getName(),
        "--listen", "127.0.0.1:0", "--portfile", portfile.toString());
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("out.log").toFile());
    pb.environment().put("XDG_DATA_HOME", xdg.toString());
    process = pb.start();
    port = Integer.parseInt(GatewayCommandTest.waitForFile(portfile, process));
    assertEquals(List.of("by_id", "collections"), rootNames());
    assertEquals(404, send("GET", "/collections/none", null).statusCode());
    Path data = xdg.resolve("keepfs");
    assertTrue(Files.isDirectory(data.resolve("collections")), "the store lives in $XDG_DATA_HOME/keepfs");
    String log = Files.readString(dir.resolve("out.log"));
    assertEquals(1, log.lines().filter(l -> l.contains("embedded default data directory " + data)).count(), log);
    process.destroy();
    assertTrue(process.waitFor(30, TimeUnit.SECONDS));
  }
}
