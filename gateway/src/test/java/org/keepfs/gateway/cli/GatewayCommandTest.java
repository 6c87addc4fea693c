package org.keepfs.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Runs {@code keepfs gateway} as a real process: port file, pid file, access log, signals. */
class GatewayCommandTest {
  @TempDir Path dir;
  Process process;

  @AfterEach
  void stop() throws Exception {
    if (process != null && process.isAlive()) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  Process launch(String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
        "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
        GatewayCommand.class.getName()));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("out.log").toFile()).start();
  }

  static String waitForFile(Path file, Process p) throws Exception {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!Files.exists(file) || Files.readString(file).isBlank()) {
      assertTrue(p.isAlive(), "the gateway exited early");
      assertTrue(System.nanoTime() < deadline, "no " + file + " after 30 s");
      Thread.sleep(50);
    }
    return Files.readString(file).strip();
  }

  @Test
  void servesWritesPidAndPortReopensItsLogAndStopsCleanlyOnSigterm() throws Exception {
    Path data = Files.createDirectory(dir.resolve("data"));
    Files.writeString(data.resolve("hello"), "hi");
    Path portfile = dir.resolve("port");
    Path pidfile = dir.resolve("pid");
    Path accessLog = dir.resolve("access.log");
    process = launch("--export", "data=" + data, "--listen", "127.0.0.1:0", "--portfile", portfile.toString(),
        "--pidfile", pidfile.toString(), "--access-log", accessLog.toString());
    int port = Integer.parseInt(waitForFile(portfile, process));
    assertEquals(process.pid(), Long.parseLong(waitForFile(pidfile, process)));
    HttpClient http = HttpClient.newHttpClient();
    URI uri = URI.create("http://127.0.0.1:" + port + "/fs123/7/2/f/data/hello?128;0");
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode());
    assertTrue(r.body().endsWith(",hi"), r.body());

    for (String signal : new String[] {"HUP", "USR1"}) {
      Path rotated = dir.resolve("access.log." + signal);
      waitForContent(accessLog, "/fs123/7/2/f/data/hello");
      Files.move(accessLog, rotated);
      // The shell's own kill: no procps needed.
      assertEquals(0, new ProcessBuilder("sh", "-c", "kill -" + signal + " " + process.pid()).start().waitFor());
      // The reopen happens asynchronously; keep asking until a request lands in the new file.
      long deadline = System.nanoTime() + 20_000_000_000L;
      while (!Files.exists(accessLog) || !Files.readString(accessLog).contains("/fs123/7/2/f/data/hello")) {
        assertTrue(process.isAlive(), "SIG" + signal + " must not stop the gateway");
        assertTrue(System.nanoTime() < deadline, "the access log was not reopened after SIG" + signal);
        http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding());
        Thread.sleep(50);
      }
    }

    process.destroy(); // SIGTERM
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the gateway did not stop on SIGTERM");
    assertFalse(Files.exists(pidfile), "pid file removed on clean shutdown");
    assertFalse(Files.exists(portfile), "port file removed on clean shutdown");
    assertThrows(ConnectException.class,
        () -> http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding()));
    assertTrue(Files.readString(dir.resolve("out.log")).contains("keepfs gateway: serving http://127.0.0.1:" + port));
  }

  static void waitForContent(Path file, String text) throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!Files.exists(file) || !Files.readString(file).contains(text)) {
      assertTrue(System.nanoTime() < deadline, file + " never contained " + text);
      Thread.sleep(20);
    }
  }

  record Run(int exit, String out, String err) {}

  static Run run(String... args) {
    CommandLine cli = new CommandLine(new GatewayCommand());
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    return new Run(cli.execute(args), out.toString(), err.toString());
  }

  @Test
  void badOptionsAreUsageErrorsThatSayWhatIsWrong() throws Exception {
    Path data = Files.createDirectory(dir.resolve("d"));
    assertUsage("expected NAME=DIR", run("--export", "nodir"));
    assertUsage("is not a directory", run("--export", "x=" + dir.resolve("missing")));
    assertUsage("exported twice", run("--export", "x=" + data, "--export", "x=" + data));
    assertUsage("cannot be a top-level name", run("--export", "..=" + data));
    assertUsage("not both", run("--export", "x=" + data, "--export-root", data.toString()));
    assertUsage("port must be 0 to 65535", run("--export", "x=" + data, "--listen", "127.0.0.1:99999"));
    assertUsage("needs a max-age", run("--export", "x=" + data, "--default-cache-control", "public"));
    assertUsage("--error-cache-control", run("--export", "x=" + data, "--error-cache-control", "max-age=abc"));
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      assertUsage("cannot listen on 127.0.0.1:" + taken.getLocalPort(),
          run("--export", "x=" + data, "--listen", "127.0.0.1:" + taken.getLocalPort()));
    }
  }

  private static void assertUsage(String expected, Run r) {
    assertNotEquals(0, r.exit(), r.toString());
    assertTrue(r.err().contains(expected), () -> "expected '" + expected + "' in: " + r.err());
  }

  @Test
  void exportRootServesOneDirectoryAsTheTreeRoot() throws Exception {
    Path data = Files.createDirectory(dir.resolve("single"));
    Files.writeString(data.resolve("top-file"), "x");
    GatewayCommand cmd = new GatewayCommand();
    new CommandLine(cmd).parseArgs("--export-root", data.toString(), "--listen", "127.0.0.1:0",
        "--default-cache-control", "max-age=42");
    GatewayAssembly assembly = cmd.assemble();
    try (var server = assembly.builder().build()) {
      server.start();
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(
          URI.create(server.uri() + "/fs123/7/2/d?128;1;0")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode());
      assertTrue(r.body().contains("8:top-file, 8 "), r.body());
      assertEquals("max-age=42", r.headers().firstValue("cache-control").orElseThrow());
      assertNotEquals("0", r.headers().firstValue("fs123-estalecookie").orElse("0"), "the root is a real directory");
    } finally {
      assembly.close();
    }
  }

  @Test
  void listenAddressesParse() {
    assertEquals(8123, ListenOptions.parse("127.0.0.1").getPort());
    assertEquals("0.0.0.0", ListenOptions.parse("0.0.0.0:0").getHostString());
    assertEquals("::1", ListenOptions.parse("[::1]:9000").getHostString());
    assertEquals(9000, ListenOptions.parse("[::1]:9000").getPort());
    assertThrows(IllegalArgumentException.class, () -> ListenOptions.parse("::1:9000"));
    assertThrows(IllegalArgumentException.class, () -> ListenOptions.parse(":80"));
    assertThrows(IllegalArgumentException.class, () -> ListenOptions.parse("[::1"));
    assertThrows(IllegalArgumentException.class, () -> ListenOptions.parse("h:x"));
  }
}
