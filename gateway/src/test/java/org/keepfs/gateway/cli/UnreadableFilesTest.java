package org.keepfs.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keepfs.posix.Errno;

/**
 * Files the gateway process may not read give their errno, never a 500. Root reads everything, so when
 * the tests run as root the gateway is started as a real process under the unprivileged user 65534
 * (with setpriv), from a world-readable copy of its class path.
 */
class UnreadableFilesTest {
  @TempDir Path dir;
  Process process;

  @AfterEach
  void stop() throws Exception {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void unreadableFilesAndDirectoriesAreEaccesReplies() throws Exception {
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path data = Files.createDirectory(dir.resolve("data"));
    Files.writeString(data.resolve("open"), "readable");
    Path secret = Files.writeString(data.resolve("secret"), "nobody may read this");
    Path closed = Files.createDirectory(data.resolve("closed"));
    Files.writeString(closed.resolve("inside"), "x");
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("---------"));
    Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("---------"));
    Path run = Files.createDirectory(dir.resolve("run"));
    Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwxrwxrwx"));
    Path portfile = run.resolve("port");

    List<String> cmd = new ArrayList<>();
    boolean root = "root".equals(System.getProperty("user.name"));
    if (root) {
      cmd.addAll(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
    }
    cmd.addAll(List.of(ProcessHandle.current().info().command().orElseThrow(), "--enable-native-access=ALL-UNNAMED",
        "-cp", root ? readableClassPath() : System.getProperty("java.class.path"), GatewayCommand.class.getName(),
        "--export", "data=" + data, "--listen", "127.0.0.1:0", "--portfile", portfile.toString()));
    process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(run.resolve("out.log").toFile()).start();
    int port = Integer.parseInt(GatewayCommandTest.waitForFile(portfile, process));

    HttpClient http = HttpClient.newHttpClient();
    String base = "http://127.0.0.1:" + port + "/fs123/7/2";
    assertEquals("0", errno(http, base + "/f/data/open?128;0"));
    assertEquals(Integer.toString(Errno.EACCES), errno(http, base + "/f/data/secret?128;0"));
    assertEquals(Integer.toString(Errno.EACCES), errno(http, base + "/d/data/closed?128;1;0"));
    assertEquals(Integer.toString(Errno.EACCES), errno(http, base + "/a/data/closed/inside"));
    HttpResponse<String> attrs = http.send(HttpRequest.newBuilder(URI.create(base + "/a/data/secret")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals("0", attrs.headers().firstValue("fs123-errno").orElseThrow(), "stat needs no read permission");
    assertNotEquals("0", attrs.headers().firstValue("fs123-estalecookie").orElse("0"),
        "an unreadable file still gets a (fallback) cookie");
  }

  private static String errno(HttpClient http, String url) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), url + " -> " + r.body());
    assertTrue(r.headers().firstValue("cache-control").orElse("").contains("max-age="));
    return r.headers().firstValue("fs123-errno").orElseThrow();
  }

  /** Copies the class path's jars somewhere user 65534 can read (the Maven repository is root's own). */
  private String readableClassPath() throws Exception {
    Path jars = Files.createDirectory(dir.resolve("cp"));
    Files.setPosixFilePermissions(jars, PosixFilePermissions.fromString("rwxr-xr-x"));
    List<String> entries = new ArrayList<>();
    int i = 0;
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path p = Path.of(entry);
      if (Files.isRegularFile(p)) {
        Path copy = jars.resolve((i++) + "-" + p.getFileName());
        Files.copy(p, copy, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-r--r--"));
        entries.add(copy.toString());
      } else {
        entries.add(entry);
      }
    }
    return String.join(File.pathSeparator, entries);
  }
}
