package org.keepfs.gateway.keep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keepfs.locator.Locator;
import org.keepfs.store.BlockStore;
import org.keepfs.store.Md5;
import org.keepfs.store.StoreChain;
import org.keepfs.store.local.LocalDirectoryBlockStore;

class KeepBlockHandlerTest {
  static final String WRITER = "writer-token";

  @TempDir Path data;
  LocalDirectoryBlockStore local;
  JettyFixture server;

  @BeforeEach
  void start() throws Exception {
    local = new LocalDirectoryBlockStore("local", data);
    StoreChain chain = new StoreChain(List.of(local), List.of(local), Optional.empty(), local.tmpDir());
    KeepAccess access = new KeepAccess(Optional.empty(), Set.of(WRITER), Optional.empty());
    server = JettyFixture.start(Map.of(BlockPath.PREFIX, new KeepBlockHandler(chain, access)));
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  static String md5(byte[] b) {
    return Md5.hex(java.nio.ByteBuffer.wrap(b));
  }

  URI keep(String rest) {
    return server.uri("/keep/" + rest);
  }

  HttpResponse<byte[]> put(byte[] body) throws Exception {
    return Http.put(keep(md5(body)), body, "Authorization", "Bearer " + WRITER);
  }

  List<Path> filesUnder(Path dir) throws Exception {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).toList();
    }
  }

  @Test
  void putThenGetReturnsTheBlockWithKeepHeaders() throws Exception {
    byte[] body = "hello keep".getBytes(StandardCharsets.UTF_8);
    HttpResponse<byte[]> put = put(body);
    assertEquals(200, put.statusCode(), Http.text(put));
    assertEquals(md5(body) + "+" + body.length + "\n", Http.text(put));
    assertEquals("1", put.headers().firstValue("X-Keep-Replicas-Stored").orElseThrow());
    Path file = data.resolve("blocks").resolve(md5(body).substring(0, 3)).resolve(md5(body));
    assertArrayEquals(body, Files.readAllBytes(file));

    HttpResponse<byte[]> get = Http.get(keep(md5(body) + "+" + body.length));
    assertEquals(200, get.statusCode());
    assertArrayEquals(body, get.body());
    assertEquals("public, max-age=31536000, immutable", get.headers().firstValue("Cache-Control").orElseThrow());
    assertEquals("\"" + md5(body) + "\"", get.headers().firstValue("ETag").orElseThrow());
    assertEquals(String.valueOf(body.length), get.headers().firstValue("Content-Length").orElseThrow());

    HttpResponse<byte[]> head = Http.head(keep(md5(body) + "+" + body.length));
    assertEquals(200, head.statusCode());
    assertEquals(String.valueOf(body.length), head.headers().firstValue("Content-Length").orElseThrow());
    assertEquals(0, head.body().length);
  }

  @Test
  void legacyOAuth2AuthorizationIsAccepted() throws Exception {
    byte[] body = bytes(100, 1);
    HttpResponse<byte[]> put = Http.put(keep(md5(body)), body, "Authorization", "OAuth2 " + WRITER);
    assertEquals(200, put.statusCode(), Http.text(put));
  }

  @Test
  void ifNoneMatchWithTheHashGives304() throws Exception {
    byte[] body = bytes(1000, 2);
    put(body);
    HttpResponse<byte[]> r = Http.get(keep(md5(body) + "+1000"), "If-None-Match", "\"" + md5(body) + "\"");
    assertEquals(304, r.statusCode());
    assertEquals(0, r.body().length);
    assertEquals("1000", r.headers().firstValue("Content-Length").orElseThrow(),
        "a 304 describes the reply it stands for, not an empty block");
  }

  @Test
  void notModifiedPieceCarriesThePieceLength() throws Exception {
    byte[] body = bytes(BlockPath.PIECE_SIZE + 10, 12);
    put(body);
    URI piece = keep(md5(body) + "+" + body.length + "/1");
    HttpResponse<byte[]> full = Http.get(piece);
    assertEquals(200, full.statusCode());
    String etag = full.headers().firstValue("ETag").orElseThrow();
    HttpResponse<byte[]> r = Http.get(piece, "If-None-Match", etag);
    assertEquals(304, r.statusCode());
    assertEquals("10", r.headers().firstValue("Content-Length").orElseThrow());
  }

  @Test
  void getWithoutSizeIs405AndHeadWithoutSizeFindsTheSize() throws Exception {
    byte[] body = bytes(500, 3);
    put(body);
    HttpResponse<byte[]> get = Http.get(keep(md5(body)));
    assertEquals(405, get.statusCode());
    assertTrue(Http.text(get).contains("size"), Http.text(get));
    HttpResponse<byte[]> head = Http.head(keep(md5(body)));
    assertEquals(200, head.statusCode());
    assertEquals("500", head.headers().firstValue("Content-Length").orElseThrow());
  }

  @Test
  void missingBlockIs404() throws Exception {
    HttpResponse<byte[]> r = Http.get(keep("0123456789abcdef0123456789abcdef+12"));
    assertEquals(404, r.statusCode());
    assertTrue(Http.text(r).contains("0123456789abcdef0123456789abcdef+12"), Http.text(r));
  }

  @Test
  void malformedLocatorsAre400WithAMessageNamingTheProblem() throws Exception {
    for (String bad : List.of("not-a-locator", "0123456789ABCDEF0123456789abcdef+3", "0123456789abcdef0123456789abcdef+x",
        "0123456789abcdef0123456789abcdef+3+a", "0123456789abcdef0123456789abcdef+99999999999")) {
      HttpResponse<byte[]> r = Http.get(keep(bad));
      assertEquals(400, r.statusCode(), bad);
      assertFalse(Http.text(r).isBlank(), bad);
    }
    String huge = "0123456789abcdef0123456789abcdef+3+" + "Z".repeat(3000);
    HttpResponse<byte[]> r = Http.get(keep(huge));
    assertEquals(400, r.statusCode());
    assertTrue(Http.text(r).contains("at most 2048"), Http.text(r));
  }

  @Test
  void wrongHashOnPutIs400AndStoresNothing() throws Exception {
    byte[] body = bytes(4096, 4);
    HttpResponse<byte[]> r = Http.put(keep("0123456789abcdef0123456789abcdef"), body, "Authorization", "Bearer " + WRITER);
    assertEquals(400, r.statusCode());
    assertTrue(Http.text(r).contains(md5(body)), Http.text(r));
    assertEquals(List.of(), filesUnder(data));
  }

  @Test
  void putOverTheBlockSizeLimitIs413() throws Exception {
    String head = "PUT /keep/0123456789abcdef0123456789abcdef HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + WRITER
        + "\r\nContent-Length: " + (Locator.MAX_BLOCK_SIZE + 1) + "\r\n";
    String reply = Http.raw(server.port(), head, new byte[0]);
    assertTrue(reply.startsWith("HTTP/1.1 413"), reply);
    assertEquals(List.of(), filesUnder(data));
  }

  @Test
  void putBodyShorterThanContentLengthIs400AndStoresNothing() throws Exception {
    byte[] body = bytes(1000, 5);
    String head = "PUT /keep/" + md5(body) + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + WRITER
        + "\r\nContent-Length: 2000\r\n";
    String reply = Http.raw(server.port(), head, body);
    assertTrue(reply.startsWith("HTTP/1.1 400"), reply);
    assertEquals(List.of(), filesUnder(data));
  }

  @Test
  void putWithoutTokenIs401AndWithAWrongTokenIs403() throws Exception {
    byte[] body = bytes(10, 6);
    HttpResponse<byte[]> none = Http.put(keep(md5(body)), body);
    assertEquals(401, none.statusCode());
    HttpResponse<byte[]> wrong = Http.put(keep(md5(body)), body, "Authorization", "Bearer nope");
    assertEquals(403, wrong.statusCode());
    assertEquals(List.of(), filesUnder(data));
  }

  @Test
  void piecesAreAlignedImmutableParts() throws Exception {
    int size = 2 * BlockPath.PIECE_SIZE + 12345;
    byte[] body = bytes(size, 7);
    assertEquals(200, put(body).statusCode());
    String loc = md5(body) + "+" + size;
    for (int piece = 0; piece < 3; piece++) {
      HttpResponse<byte[]> r = Http.get(keep(loc + "/" + piece));
      assertEquals(200, r.statusCode());
      int from = piece * BlockPath.PIECE_SIZE;
      int to = Math.min(size, from + BlockPath.PIECE_SIZE);
      assertArrayEquals(Arrays.copyOfRange(body, from, to), r.body(), "piece " + piece);
      assertEquals("\"" + md5(body) + "-" + piece + "\"", r.headers().firstValue("ETag").orElseThrow());
      assertEquals(KeepBlockHandler.IMMUTABLE, r.headers().firstValue("Cache-Control").orElseThrow());
    }
    HttpResponse<byte[]> past = Http.get(keep(loc + "/3"));
    assertEquals(400, past.statusCode());
    assertTrue(Http.text(past).contains("past the end"), Http.text(past));
    assertEquals(400, Http.get(keep(loc + "/x")).statusCode());
  }

  @Test
  void singleRangesAreServedAs206() throws Exception {
    byte[] body = bytes(5000, 8);
    put(body);
    String loc = md5(body) + "+5000";
    HttpResponse<byte[]> r = Http.get(keep(loc), "Range", "bytes=100-199");
    assertEquals(206, r.statusCode());
    assertArrayEquals(Arrays.copyOfRange(body, 100, 200), r.body());
    assertEquals("bytes 100-199/5000", r.headers().firstValue("Content-Range").orElseThrow());
    HttpResponse<byte[]> suffix = Http.get(keep(loc), "Range", "bytes=-10");
    assertArrayEquals(Arrays.copyOfRange(body, 4990, 5000), suffix.body());
    HttpResponse<byte[]> outside = Http.get(keep(loc), "Range", "bytes=6000-");
    assertEquals(416, outside.statusCode());
    assertEquals("bytes */5000", outside.headers().firstValue("Content-Range").orElseThrow());
  }

  @Test
  void concurrentPutsOfOneBlockAllSucceedAndLeaveOneFile() throws Exception {
    byte[] body = bytes(3 << 20, 9);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<HttpResponse<byte[]>>> results = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        results.add(pool.submit(() -> put(body)));
      }
      for (Future<HttpResponse<byte[]>> f : results) {
        assertEquals(200, f.get().statusCode());
      }
    } finally {
      pool.shutdown();
    }
    assertEquals(List.of(local.pathOf(md5(body))), filesUnder(data));
    assertArrayEquals(body, Files.readAllBytes(local.pathOf(md5(body))));
  }

  @Test
  void aCorruptLocalFileIsNeverServed() throws Exception {
    byte[] body = bytes(10_000, 10);
    put(body);
    Path file = local.pathOf(md5(body));
    byte[] bad = body.clone();
    bad[5000] ^= 1;
    // A fresh gateway on the same directory has not verified the block in this process.
    server.close();
    LocalDirectoryBlockStore reopened = new LocalDirectoryBlockStore("local", data);
    Files.write(file, bad);
    StoreChain chain = new StoreChain(List.<BlockStore>of(reopened), List.of(), Optional.empty(), reopened.tmpDir());
    server = JettyFixture.start(Map.of(BlockPath.PREFIX, new KeepBlockHandler(chain, KeepAccess.readOnlyOpen())));
    HttpResponse<byte[]> whole = Http.get(keep(md5(body) + "+10000"));
    assertEquals(502, whole.statusCode());
    assertFalse(Arrays.equals(bad, whole.body()));
    HttpResponse<byte[]> range = Http.get(keep(md5(body) + "+10000"), "Range", "bytes=0-99");
    assertEquals(502, range.statusCode());
  }

  @Test
  void anUnknownServiceHintIsNamedInThe404() throws Exception {
    byte[] body = bytes(64, 11);
    HttpResponse<byte[]> r = Http.get(keep(md5(body) + "+64+K@elsewhere"));
    assertEquals(404, r.statusCode());
    assertTrue(Http.text(r).contains("no configured service answers to +K@elsewhere"), Http.text(r));
    put(body);
    HttpResponse<byte[]> found = Http.get(keep(md5(body) + "+64+K@elsewhere+Zkept"));
    assertEquals(200, found.statusCode(), "unknown hints are skipped, not fatal");
  }

  @Test
  void withSigningReadsNeedAValidUnexpiredSignatureForTheToken() throws Exception {
    server.close();
    java.time.Instant now = java.time.Instant.parse("2026-11-23T12:00:00Z");
    org.keepfs.signature.BlobSigner signer = new org.keepfs.signature.BlobSigner("k", java.time.Duration.ofDays(14),
        java.time.Clock.fixed(now, java.time.ZoneOffset.UTC));
    StoreChain chain = new StoreChain(List.of(local), List.of(local), Optional.empty(), local.tmpDir());
    KeepAccess access = new KeepAccess(Optional.empty(), Set.of(WRITER), Optional.of(signer));
    server = JettyFixture.start(Map.of(BlockPath.PREFIX, new KeepBlockHandler(chain, access)));
    byte[] body = bytes(300, 12);
    HttpResponse<byte[]> put = put(body);
    Locator signed = Locator.parse(Http.text(put).trim());
    assertEquals(signer.sign(Locator.of(md5(body), 300), WRITER), signed);
    String auth = "Bearer " + WRITER;

    assertEquals(200, Http.get(keep(signed.toString()), "Authorization", auth).statusCode());
    HttpResponse<byte[]> noToken = Http.get(keep(signed.toString()));
    assertEquals(401, noToken.statusCode());
    HttpResponse<byte[]> unsigned = Http.get(keep(md5(body) + "+300"), "Authorization", auth);
    assertEquals(401, unsigned.statusCode());
    assertTrue(Http.text(unsigned).contains("no +A permission signature"), Http.text(unsigned));
    Locator expired = signer.sign(Locator.of(md5(body), 300), WRITER, now.minusSeconds(1));
    HttpResponse<byte[]> old = Http.get(keep(expired.toString()), "Authorization", auth);
    assertEquals(401, old.statusCode());
    assertTrue(Http.text(old).contains("expired"), Http.text(old));
    String forged = md5(body) + "+300+A" + "1".repeat(40) + "@7fffffff";
    HttpResponse<byte[]> bad = Http.get(keep(forged), "Authorization", auth);
    assertEquals(403, bad.statusCode());
    assertTrue(Http.text(bad).contains("not valid"), Http.text(bad));
    assertEquals(403, Http.get(keep(signed.toString()), "Authorization", "Bearer another").statusCode());
    assertEquals(403, Http.get(keep(md5(body) + "+300+Ashort@1"), "Authorization", auth).statusCode());
    assertEquals(401, Http.head(keep(md5(body)), "Authorization", auth).statusCode());
  }

  @Test
  void corsHeadersLetBrowserClientsUseTheService() throws Exception {
    byte[] body = bytes(10, 13);
    HttpResponse<byte[]> put = put(body);
    assertEquals("*", put.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
    assertTrue(put.headers().firstValue("Access-Control-Expose-Headers").orElseThrow().contains("X-Keep-Replicas-Stored"));
    String reply = Http.raw(server.port(), "OPTIONS /keep/" + md5(body) + " HTTP/1.1\r\nHost: x\r\n"
        + "Origin: http://example\r\nAccess-Control-Request-Method: PUT\r\n", new byte[0]);
    assertTrue(reply.startsWith("HTTP/1.1 200"), reply);
    assertTrue(reply.contains("Access-Control-Allow-Methods: GET, HEAD, PUT, OPTIONS"), reply);
    assertTrue(reply.contains("Authorization"), reply);
    String delete = Http.raw(server.port(), "DELETE /keep/" + md5(body) + "+10 HTTP/1.1\r\nHost: x\r\n", new byte[0]);
    assertTrue(delete.startsWith("HTTP/1.1 405"), delete);
    assertTrue(delete.contains("Allow: GET, HEAD, PUT, OPTIONS"), delete);
    assertTrue(Files.exists(local.pathOf(md5(body))));
  }
}
