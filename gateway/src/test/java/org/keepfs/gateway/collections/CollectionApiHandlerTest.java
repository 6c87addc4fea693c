package org.keepfs.gateway.collections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keepfs.collection.CollectionStore;
import org.keepfs.collection.local.LocalDirectoryCollectionStore;
import org.keepfs.gateway.keep.BlockPath;
import org.keepfs.gateway.keep.Http;
import org.keepfs.gateway.keep.JettyFixture;
import org.keepfs.gateway.keep.KeepAccess;
import org.keepfs.gateway.keep.KeepBlockHandler;
import org.keepfs.locator.Locator;
import org.keepfs.manifest.PortableDataHash;
import org.keepfs.signature.BlobSigner;
import org.keepfs.store.StoreChain;
import org.keepfs.store.local.LocalDirectoryBlockStore;

class CollectionApiHandlerTest {
  static final String WRITER = "writer";
  static final String READER = "reader";
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T12:00:00Z"), ZoneOffset.UTC);
  static final ObjectMapper JSON = new ObjectMapper();
  static final String FOO = ". acbd18db4cc2f85cedef654fccc4a4d8+3 0:3:foo\n";
  static final String BAR = ". 37b51d194a7513e45b56f6524f2d51f2+3 0:3:bar\n";

  @TempDir Path data;
  JettyFixture server;
  CollectionStore collections;
  BlobSigner signer = new BlobSigner("signing-key", Duration.ofDays(14), CLOCK);

  void start(Optional<Set<String>> readTokens, Set<String> writeTokens, boolean signing) throws Exception {
    LocalDirectoryBlockStore blocks = new LocalDirectoryBlockStore("local", data.resolve("keep"));
    StoreChain chain = new StoreChain(List.of(blocks), List.of(blocks), Optional.empty(), blocks.tmpDir());
    collections = new LocalDirectoryCollectionStore(data.resolve("collections"), CLOCK);
    KeepAccess access = new KeepAccess(readTokens, writeTokens, signing ? Optional.of(signer) : Optional.empty());
    Map<String, org.eclipse.jetty.server.Handler> routes = new LinkedHashMap<>();
    routes.put(BlockPath.PREFIX, new KeepBlockHandler(chain, access));
    routes.put(CollectionApiHandler.PREFIX, new CollectionApiHandler(collections, chain, access));
    routes.put(ManifestByIdHandler.PREFIX, new ManifestByIdHandler(collections, chain, access));
    server = JettyFixture.start(routes);
  }

  void startDefault() throws Exception {
    start(Optional.empty(), Set.of(WRITER), false);
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  void putBlock(String content) throws Exception {
    byte[] b = content.getBytes(StandardCharsets.UTF_8);
    String hash = org.keepfs.store.Md5.hex(java.nio.ByteBuffer.wrap(b));
    HttpResponse<byte[]> r = Http.put(server.uri("/keep/" + hash), b, "Authorization", "Bearer " + WRITER);
    assertEquals(200, r.statusCode(), Http.text(r));
  }

  static byte[] body(String manifest) throws Exception {
    return JSON.writeValueAsBytes(Map.of("manifest_text", manifest));
  }

  HttpResponse<byte[]> create(String name, String manifest) throws Exception {
    return Http.put(server.uri("/collections/" + name), body(manifest), "Authorization", "Bearer " + WRITER,
        "If-None-Match", "*");
  }

  HttpResponse<byte[]> update(String name, String manifest, String fromPdh) throws Exception {
    return Http.put(server.uri("/collections/" + name), body(manifest), "Authorization", "Bearer " + WRITER,
        "If-Match", "\"" + fromPdh + "\"");
  }

  static JsonNode json(HttpResponse<byte[]> r) throws Exception {
    return JSON.readTree(r.body());
  }

  @Test
  void createReadAndUpdateANamedCollection() throws Exception {
    startDefault();
    putBlock("foo");
    putBlock("bar");
    HttpResponse<byte[]> created = create("results", FOO);
    assertEquals(201, created.statusCode(), Http.text(created));
    assertEquals("1f4b0bc7583c2a7f9102c395f4ffc5e3+45", json(created).get("portable_data_hash").asText());
    assertEquals(1, json(created).get("version").asLong());

    HttpResponse<byte[]> got = Http.get(server.uri("/collections/results"));
    assertEquals(200, got.statusCode());
    JsonNode g = json(got);
    assertEquals(FOO, g.get("manifest_text").asText());
    assertEquals("results", g.get("name").asText());
    assertEquals("2026-11-23T12:00:00Z", g.get("modified_at").asText());
    assertEquals("\"1f4b0bc7583c2a7f9102c395f4ffc5e3+45\"", got.headers().firstValue("ETag").orElseThrow());
    assertEquals(304, Http.get(server.uri("/collections/results"), "If-None-Match",
        "\"1f4b0bc7583c2a7f9102c395f4ffc5e3+45\"").statusCode());

    HttpResponse<byte[]> updated = update("results", BAR, "1f4b0bc7583c2a7f9102c395f4ffc5e3+45");
    assertEquals(200, updated.statusCode(), Http.text(updated));
    assertEquals("fa7aeb5140e2848d39b416daeef4ffc5+45", json(updated).get("portable_data_hash").asText());
    assertEquals(2, json(updated).get("version").asLong());

    HttpResponse<byte[]> byId = Http.get(server.uri("/by_id/1f4b0bc7583c2a7f9102c395f4ffc5e3+45/manifest"));
    assertEquals(200, byId.statusCode());
    assertEquals(FOO, Http.text(byId));
    assertEquals(KeepBlockHandler.IMMUTABLE, byId.headers().firstValue("Cache-Control").orElseThrow());
  }

  @Test
  void aStaleOrMissingPreconditionIsRefused() throws Exception {
    startDefault();
    putBlock("foo");
    putBlock("bar");
    assertEquals(201, create("c", FOO).statusCode());
    HttpResponse<byte[]> again = create("c", BAR);
    assertEquals(412, again.statusCode());
    assertTrue(Http.text(again).contains("1f4b0bc7583c2a7f9102c395f4ffc5e3+45"), Http.text(again));
    HttpResponse<byte[]> stale = update("c", BAR, "d41d8cd98f00b204e9800998ecf8427e+0");
    assertEquals(412, stale.statusCode());
    assertEquals("\"1f4b0bc7583c2a7f9102c395f4ffc5e3+45\"", stale.headers().firstValue("ETag").orElseThrow());
    assertEquals(412, update("absent", BAR, "1f4b0bc7583c2a7f9102c395f4ffc5e3+45").statusCode());
    HttpResponse<byte[]> none = Http.put(server.uri("/collections/c"), body(BAR), "Authorization", "Bearer " + WRITER);
    assertEquals(428, none.statusCode());
    assertEquals(FOO, json(Http.get(server.uri("/collections/c"))).get("manifest_text").asText());
  }

  @Test
  void twoConcurrentUpdatesOfOneNameExactlyOneWins() throws Exception {
    startDefault();
    putBlock("foo");
    putBlock("bar");
    assertEquals(201, create("race", FOO).statusCode());
    int writers = 8;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    List<Future<Integer>> results = new ArrayList<>();
    try {
      for (int i = 0; i < writers; i++) {
        String manifest = ". 37b51d194a7513e45b56f6524f2d51f2+3 0:3:bar" + i + "\n";
        Callable<Integer> task = () -> update("race", manifest, "1f4b0bc7583c2a7f9102c395f4ffc5e3+45").statusCode();
        results.add(pool.submit(task));
      }
      int ok = 0;
      int moved = 0;
      for (Future<Integer> f : results) {
        int status = f.get();
        if (status == 200) {
          ok++;
        } else if (status == 412) {
          moved++;
        }
      }
      assertEquals(1, ok);
      assertEquals(writers - 1, moved);
    } finally {
      pool.shutdown();
    }
    assertEquals(2, json(Http.get(server.uri("/collections/race"))).get("version").asLong());
  }

  @Test
  void invalidManifestsAndBodiesGet400WithTheReason() throws Exception {
    startDefault();
    HttpResponse<byte[]> noNewline = create("x", ". acbd18db4cc2f85cedef654fccc4a4d8+3 0:3:foo");
    assertEquals(400, noNewline.statusCode());
    assertTrue(Http.text(noNewline).startsWith("invalid manifest"), Http.text(noNewline));
    HttpResponse<byte[]> notJson = Http.put(server.uri("/collections/x"), "manifest".getBytes(StandardCharsets.UTF_8),
        "Authorization", "Bearer " + WRITER, "If-None-Match", "*");
    assertEquals(400, notJson.statusCode());
    assertTrue(Http.text(notJson).contains("manifest_text"), Http.text(notJson));
    HttpResponse<byte[]> longName = create("n".repeat(300), FOO);
    assertEquals(400, longName.statusCode());
    assertTrue(Http.text(longName).contains("longer than 255 bytes"), Http.text(longName));
    // Jetty itself refuses control characters in paths, before any handler sees them.
    assertEquals(400, create("a%01b", FOO).statusCode());
    HttpResponse<byte[]> badEtag = Http.put(server.uri("/collections/x"), body(FOO), "Authorization", "Bearer " + WRITER,
        "If-Match", "not-quoted");
    assertEquals(400, badEtag.statusCode());
    assertEquals(404, Http.get(server.uri("/collections/x")).statusCode());
    // A path below a name is the collection's tree: not this handler's, so it falls through.
    HttpResponse<byte[]> tree = Http.get(server.uri("/collections/x/file.txt"));
    assertEquals(404, tree.statusCode());
    assertFalse(Http.text(tree).contains("there is no collection named"), Http.text(tree));
  }

  @Test
  void aManifestNamingAMissingBlockIsRefused() throws Exception {
    startDefault();
    HttpResponse<byte[]> missing = create("m", FOO);
    assertEquals(400, missing.statusCode());
    assertTrue(Http.text(missing).contains("acbd18db4cc2f85cedef654fccc4a4d8+3"), Http.text(missing));
    assertEquals(404, Http.get(server.uri("/collections/m")).statusCode());
    putBlock("foo");
    assertEquals(201, create("m", FOO).statusCode());
  }

  @Test
  void writesNeedAWriteToken() throws Exception {
    start(Optional.of(Set.of(READER)), Set.of(WRITER), false);
    putBlock("foo");
    HttpResponse<byte[]> noToken = Http.put(server.uri("/collections/w"), body(FOO), "If-None-Match", "*");
    assertEquals(401, noToken.statusCode());
    HttpResponse<byte[]> readToken = Http.put(server.uri("/collections/w"), body(FOO), "Authorization", "Bearer " + READER,
        "If-None-Match", "*");
    assertEquals(403, readToken.statusCode());
    assertEquals(201, create("w", FOO).statusCode());
    assertEquals(401, Http.get(server.uri("/collections/w")).statusCode());
    assertEquals(403, Http.get(server.uri("/collections/w"), "Authorization", "Bearer stranger").statusCode());
    assertEquals(200, Http.get(server.uri("/collections/w"), "Authorization", "Bearer " + READER).statusCode());
  }

  @Test
  void withoutAWriteTokenFileWritesAreDisabled() throws Exception {
    start(Optional.empty(), Set.of(), false);
    HttpResponse<byte[]> r = Http.put(server.uri("/collections/w"), body(FOO), "Authorization", "Bearer anyone",
        "If-None-Match", "*");
    assertEquals(403, r.statusCode());
    assertTrue(Http.text(r).contains("--write-token-file"), Http.text(r));
  }

  @Test
  void withSigningManifestsAreServedSignedAndStoredUnsigned() throws Exception {
    start(Optional.empty(), Set.of(WRITER), true);
    putBlock("foo");
    // The writer proves it has the block with a signature, as a Keep client would.
    String signed = ". " + signer.sign(Locator.parse("acbd18db4cc2f85cedef654fccc4a4d8+3"), WRITER) + " 0:3:foo\n";
    HttpResponse<byte[]> created = create("s", signed);
    assertEquals(201, created.statusCode(), Http.text(created));
    PortableDataHash pdh = PortableDataHash.parse(json(created).get("portable_data_hash").asText());
    assertEquals(FOO, collections.manifest(pdh).orElseThrow());

    HttpResponse<byte[]> got = Http.get(server.uri("/collections/s"), "Authorization", "Bearer " + WRITER);
    String served = json(got).get("manifest_text").asText();
    assertTrue(served.matches("\\. acbd18db4cc2f85cedef654fccc4a4d8\\+3\\+A[0-9a-f]{40}@[0-9a-f]{8} 0:3:foo\n"), served);
    String locator = served.split(" ")[1];
    HttpResponse<byte[]> block = Http.get(server.uri("/keep/" + locator), "Authorization", "Bearer " + WRITER);
    assertEquals(200, block.statusCode());
    assertEquals("foo", Http.text(block));

    HttpResponse<byte[]> byId = Http.get(server.uri("/by_id/" + pdh + "/manifest"), "Authorization", "Bearer " + WRITER);
    assertTrue(Http.text(byId).contains("+A"), Http.text(byId));
    assertTrue(byId.headers().firstValue("Cache-Control").orElseThrow().startsWith("private"));
  }

  @Test
  void aSignedLocatorProvesABlockAndAForgedOneDoesNot() throws Exception {
    start(Optional.empty(), Set.of(WRITER), true);
    Locator absent = Locator.parse("37b51d194a7513e45b56f6524f2d51f2+3");
    String validlySigned = ". " + signer.sign(absent, WRITER) + " 0:3:bar\n";
    assertEquals(201, create("proved", validlySigned).statusCode());
    String forged = ". 37b51d194a7513e45b56f6524f2d51f2+3+A" + "0".repeat(40) + "@7fffffff 0:3:bar\n";
    HttpResponse<byte[]> r = create("forged", forged);
    assertEquals(400, r.statusCode());
    assertTrue(Http.text(r).contains("valid permission signature"), Http.text(r));
  }

  @Test
  void manifestsByIdRejectBadHashesAndReportMissingOnes() throws Exception {
    startDefault();
    assertEquals(400, Http.get(server.uri("/by_id/zzz/manifest")).statusCode());
    HttpResponse<byte[]> missing = Http.get(server.uri("/by_id/" + PortableDataHash.EMPTY + "/manifest"));
    assertEquals(404, missing.statusCode());
    assertFalse(Http.text(missing).isBlank());
  }
}
