package org.keepfs.gateway.fs123;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.keepfs.gateway.fs123.Fs123Assertions.assertErrno;
import static org.keepfs.gateway.fs123.Fs123Assertions.assertOk;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keepfs.fs123.StatfsReply;
import org.keepfs.posix.Errno;

class OtherKindsTest {
  @TempDir Path data;
  Gateway gw;

  @BeforeEach
  void start() throws Exception {
    Files.writeString(data.resolve("file"), "content");
    Files.createSymbolicLink(data.resolve("link"), Path.of("some/where else é"));
    UserDefinedFileAttributeView xattrs = Files.getFileAttributeView(data.resolve("file"), UserDefinedFileAttributeView.class);
    xattrs.write("color", ByteBuffer.wrap("blue".getBytes(StandardCharsets.UTF_8)));
    xattrs.write("big", ByteBuffer.wrap(new byte[3000]));
    gw = new Gateway(data);
  }

  @AfterEach
  void stop() throws Exception {
    gw.close();
  }

  @Test
  void readlinkReturnsTheTargetBytesExactly() throws Exception {
    Gateway.Reply r = assertOk(gw.get("/fs123/7/2/l/data/link"));
    assertArrayEquals("some/where else é".getBytes(StandardCharsets.UTF_8), r.body());
    assertErrno(Errno.EINVAL, gw.get("/fs123/7/2/l/data/file"));
    assertErrno(Errno.ENOENT, gw.get("/fs123/7/2/l/data/nothing"));
  }

  @Test
  void statfsHasElevenNumbersAndAShortMaxAge() throws Exception {
    Gateway.Reply r = assertOk(gw.get("/fs123/7/2/s/data"));
    StatfsReply s = StatfsReply.parse(r.body());
    assertTrue(s.bsize() > 0 && s.blocks() > 0 && s.namemax() == 255, s.toString());
    assertEquals(30, r.cacheControl().maxAgeOrZero());
    assertEquals(s.blocks(), StatfsReply.parse(assertOk(gw.get("/fs123/7/2/s")).body()).blocks(), "root reports its first export");
  }

  @Test
  void xattrsAreExactBytesNeverPadded() throws Exception {
    assertEquals("4", assertOk(gw.get("/fs123/7/2/x/data/file?0;user.color;")).text());
    Gateway.Reply v = assertOk(gw.get("/fs123/7/2/x/data/file?128;user.color;"));
    assertArrayEquals("blue".getBytes(StandardCharsets.UTF_8), v.body());
    String names = assertOk(gw.get("/fs123/7/2/x/data/file?128;;")).text();
    assertTrue(names.contains("user.color\0") && names.contains("user.big\0"), names);
    assertEquals(Integer.toString(names.length()), assertOk(gw.get("/fs123/7/2/x/data/file?0;;")).text());
    assertErrno(Errno.ENODATA, gw.get("/fs123/7/2/x/data/file?128;user.none;"));
    assertErrno(Errno.ERANGE, gw.get("/fs123/7/2/x/data/file?1;user.big;"));
    assertEquals(3000, assertOk(gw.get("/fs123/7/2/x/data/file?4;user.big;")).body().length);
    Gateway.Reply onLink = assertErrno(Errno.EOPNOTSUPP, gw.get("/fs123/7/2/x/data/link?128;;"));
    assertEquals(86400, onLink.cacheControl().maxAgeOrZero(), "ENOTSUP is cached for a day");
  }

  @Test
  void headWorksForLinksAndXattrsToo() throws Exception {
    for (String url : new String[] {"/fs123/7/2/l/data/link", "/fs123/7/2/x/data/file?128;user.color;"}) {
      Gateway.Reply get = assertOk(gw.get(url));
      Gateway.Reply head = gw.execute("HEAD", url);
      assertEquals(200, head.status(), url);
      assertEquals(0, head.body().length, url);
      assertEquals("0", head.header("fs123-errno"), url);
      assertEquals(get.header("cache-control"), head.header("cache-control"), url);
      assertEquals(Integer.toString(get.body().length), head.header("content-length"), url);
    }
  }

  @Test
  void statisticsAreKeyValueLines() throws Exception {
    gw.get("/fs123/7/2/a/data/file");
    gw.get("/fs123/7/2/a/data/nothing");
    Gateway.Reply r = assertOk(gw.get("/fs123/7/2/n"));
    assertEquals(1, r.cacheControl().maxAgeOrZero());
    Map<String, String> kv = new HashMap<>();
    for (String line : r.text().split("\n")) {
      int colon = line.indexOf(": ");
      assertTrue(colon > 0, "key: value line: " + line);
      kv.put(line.substring(0, colon), line.substring(colon + 2));
    }
    assertEquals("2", kv.get("requests_attributes"));
    assertEquals("1", kv.get("errno_replies"));
    assertTrue(Long.parseLong(kv.get("uptime_seconds")) >= 0);
  }
}
