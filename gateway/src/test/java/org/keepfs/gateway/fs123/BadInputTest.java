package org.keepfs.gateway.fs123;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.keepfs.gateway.fs123.Fs123Assertions.assertErrno;
import static org.keepfs.gateway.fs123.Fs123Assertions.assertOk;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.keepfs.fs123.AttrReply;
import org.keepfs.posix.Errno;

class BadInputTest {
  @TempDir Path data;
  @TempDir Path outside;
  Gateway gw;

  @BeforeEach
  void start() throws Exception {
    Files.writeString(outside.resolve("secret"), "do not serve");
    Files.writeString(data.resolve("file"), "x");
    Files.createDirectory(data.resolve("sub"));
    Files.writeString(data.resolve("sub/inner"), "inner");
    Files.createSymbolicLink(data.resolve("out"), outside);
    Files.createSymbolicLink(data.resolve("up"), Path.of("../" + outside.getFileName()));
    Files.createSymbolicLink(data.resolve("in"), Path.of("sub"));
    gw = new Gateway(data);
  }

  @AfterEach
  void stop() throws Exception {
    gw.close();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "/fs123/7/2/a/data/../data/file|'..'",
    "/fs123/7/2/a/data/sub/..|'..'",
    "/fs123/7/2/a/data/./file|'.'",
    "/fs123/7/2/a/data/file/|end with '/'",
    "/fs123/7/1/a/data/file|not supported",
    "/fs123/7/3/a/data/file|not supported",
    "/fs123/7/2/q/data/file|unknown request kind",
    "/fs123/7/2/e/abc|unknown request kind",
    "/fs123/7/2/a/data/%FF|UTF-8",
    "/fs123/7/2/d/data|needs Len;Begin;Offset",
    "/fs123/7/2/d/data?0;1;0|Len",
    "/fs123/7/2/d/data?128;7;0|Begin",
    "/fs123/7/2/f/data/file?128|needs Len;Offset",
    "/fs123/7/2/f/data/file?abc;0|Len",
    "/fs123/7/2/f/data/file?128;-4|Offset",
    "/fs123/7/2/f/data/file?999999;0|Len",
    "/fs123/7/2/x/data/file?zz;a;|Len",
  })
  void malformedRequestsAre400WithAReason(String target, String reason) throws Exception {
    Gateway.Reply r = gw.raw("GET", target, "");
    assertEquals(400, r.status(), target + " -> " + r.text());
    assertTrue(r.text().contains(reason), () -> target + " -> " + r.text());
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "/fs123/7/2/a/data//file", "/fs123/7/2/a/data%2Ffile", "/fs123/7/2/a/data%2ffile", "/fs123/7/2/a/data/%2e%2e/x",
    "/fs123/7/2/a/data/%2E%2E", "/fs123/7/2/a/data/fi%00le", "/fs123/7/2/a/../../etc/passwd",
    "/fs123/7/2/a/data/%2e%2e/%2e%2e/etc/passwd", "/fs123/7/2/a/data/fi%zzle", "/fs123/7/2/a/data/x%4",
  })
  void traversalSeparatorAndNulTricksAre400(String target) throws Exception {
    Gateway.Reply r = gw.raw("GET", target, "");
    assertEquals(400, r.status(), target + " -> " + r.text());
    assertTrue(!r.text().contains("do not serve"));
  }

  @Test
  void symlinksAreServedAsSymlinksButNeverFollowed() throws Exception {
    AttrReply out = AttrReply.parse(assertOk(gw.get("/fs123/7/2/a/data/out")).body());
    assertTrue(out.attributes().isSymlink());
    assertEquals(outside.toString(), new String(assertOk(gw.get("/fs123/7/2/l/data/out")).body(), StandardCharsets.UTF_8));
    for (String via : new String[] {"out", "up", "in"}) {
      String target = via.equals("in") ? "inner" : "secret";
      assertErrno(Errno.ELOOP, gw.get("/fs123/7/2/a/data/" + via + "/" + target));
      assertErrno(Errno.ELOOP, gw.get("/fs123/7/2/f/data/" + via + "/" + target + "?128;0"));
      assertErrno(Errno.ENOTDIR, gw.get("/fs123/7/2/d/data/" + via + "?128;1;0"));
      assertErrno(Errno.ELOOP, gw.get("/fs123/7/2/s/data/" + via + "/" + target));
    }
    assertErrno(Errno.EINVAL, gw.get("/fs123/7/2/f/data/out?128;0"));
  }

  @Test
  void otherMethodsAre405AndBodiesAre413() throws Exception {
    Gateway.Reply post = gw.raw("POST", "/fs123/7/2/a/data/file", "Content-Length: 0\r\n");
    assertEquals(405, post.status());
    assertEquals("GET, HEAD", post.header("allow"));
    assertEquals(405, gw.raw("PUT", "/fs123/7/2/a/data/file", "Content-Length: 0\r\n").status());
    assertEquals(405, gw.raw("DELETE", "/fs123/7/2/a/data/file", "").status());
    Gateway.Reply withBody = gw.raw("GET", "/fs123/7/2/a/data/file", "Content-Length: 5\r\n\r\nhello");
    assertEquals(413, withBody.status());
  }

  @Test
  void oversizedRequestsAreRefused() throws Exception {
    String huge = "a".repeat(20_000);
    int headers = gw.raw("GET", "/fs123/7/2/a/data/file", "X-Padding: " + huge + "\r\n").status();
    assertEquals(431, headers);
    int uri = gw.raw("GET", "/fs123/7/2/a/data/" + huge, "").status();
    assertTrue(uri == 414 || uri == 431, "status " + uri);
    assertOk(gw.get("/fs123/7/2/a/data/file"));
  }

  @Test
  void longNamesAreAnErrnoNotAFailure() throws Exception {
    assertErrno(Errno.ENAMETOOLONG, gw.get("/fs123/7/2/a/data/" + "n".repeat(300)));
  }

  @Test
  void pathsOutsideFs123Are404() throws Exception {
    Gateway.Reply r = gw.raw("GET", "/etc/passwd", "");
    assertEquals(404, r.status());
    assertTrue(r.text().contains("/fs123/7/2/"), r.text());
  }
}
