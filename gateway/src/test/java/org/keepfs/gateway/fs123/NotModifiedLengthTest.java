package org.keepfs.gateway.fs123;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 304's Content-Length is the length of the 200 it confirms, never 0: Squid copies a 304's headers
 * onto its cached reply, and a "Content-Length: 0" there truncated the reply for every later reader.
 */
class NotModifiedLengthTest {
  @TempDir Path data;
  Gateway gw;

  @BeforeEach
  void start() throws Exception {
    Files.writeString(data.resolve("small"), "twelve bytes");
    Files.write(data.resolve("big"), new byte[300 * 1024]);
    for (int i = 0; i < 50; i++) {
      Files.writeString(data.resolve("entry-" + i), "x");
    }
    gw = new Gateway(data);
  }

  @AfterEach
  void stop() throws Exception {
    gw.close();
  }

  @Test
  void notModifiedCarriesTheLengthOfTheFullReply() throws Exception {
    for (String url : new String[] {
        "/fs123/7/2/d/data?128;1;0",
        "/fs123/7/2/f/data/small?128;0",
        "/fs123/7/2/f/data/big?128;0",
        "/fs123/7/2/f/data/big?128;256",
        "/fs123/7/2/f/data/big?128;384",
        "/fs123/7/2/f/data/small?128;128"}) {
      Gateway.Reply full = gw.get(url);
      assertEquals(200, full.status(), url);
      // Raw socket: the client library would drop a 304's Content-Length before we could look at it.
      Gateway.Reply notModified = gw.raw("GET", url, "If-None-Match: " + full.header("etag") + "\r\n");
      assertEquals(304, notModified.status(), url);
      assertEquals(Integer.toString(full.body().length), notModified.header("content-length"), url);
      assertEquals(0, notModified.body().length, url + ": a 304 has no body");
    }
  }
}
