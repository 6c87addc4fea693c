package org.keepfs.gateway.keep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keepfs.locator.Locator;
import org.keepfs.pieces.PieceDigests;
import org.keepfs.store.BlockStore;
import org.keepfs.store.Md5;
import org.keepfs.store.StoreChain;
import org.keepfs.store.local.LocalDirectoryBlockStore;

/** {@code GET /keep/<locator>/pieces} on a real server over a local block directory. */
class PieceDigestRepliesTest {
  static final String WRITER = "writer-token";
  static final int SIZE = 3 * PieceDigests.PIECE_SIZE + 12345;

  @TempDir Path data;
  LocalDirectoryBlockStore local;
  JettyFixture server;
  byte[] block;
  Locator locator;

  @BeforeEach
  void start() throws Exception {
    local = new LocalDirectoryBlockStore("local", data);
    StoreChain chain = new StoreChain(List.of(local), List.of(local), Optional.empty(), local.tmpDir());
    server = JettyFixture.start(Map.of(BlockPath.PREFIX,
        new KeepBlockHandler(chain, new KeepAccess(Optional.empty(), Set.of(WRITER), Optional.empty()))));
    block = new byte[SIZE];
    new Random(3).nextBytes(block);
    locator = Locator.of(Md5.hex(ByteBuffer.wrap(block)), SIZE);
    assertEquals(200, Http.put(server.uri("/keep/" + locator.hash()), block, "Authorization", "Bearer " + WRITER).statusCode());
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  URI uri(String rest) {
    return server.uri("/keep/" + rest);
  }

  @Test
  void listsTheMd5OfEachPieceAsAnImmutableResource() throws Exception {
    HttpResponse<byte[]> r = Http.get(uri(locator + PieceDigests.URL_SUFFIX));
    assertEquals(200, r.statusCode(), Http.text(r));
    PieceDigests d = PieceDigests.parse(locator, r.body());
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      int off = i * PieceDigests.PIECE_SIZE;
      expected.add(Md5.hex(ByteBuffer.wrap(block, off, Math.min(PieceDigests.PIECE_SIZE, SIZE - off))));
      HttpResponse<byte[]> piece = Http.get(uri(locator + "/" + i));
      assertEquals(d.md5(i), Md5.hex(ByteBuffer.wrap(piece.body())), "piece " + i + " as served");
    }
    assertEquals(expected, d.md5s());
    assertEquals(KeepBlockHandler.IMMUTABLE, r.headers().firstValue("Cache-Control").orElseThrow());
    String etag = r.headers().firstValue("ETag").orElseThrow();
    assertEquals(304, Http.get(uri(locator + PieceDigests.URL_SUFFIX), "If-None-Match", etag).statusCode());
    HttpResponse<byte[]> head = Http.head(uri(locator + PieceDigests.URL_SUFFIX));
    assertEquals(200, head.statusCode());
    assertEquals(0, head.body().length);
  }

  @Test
  void badRequestsSayWhatIsWrong() throws Exception {
    HttpResponse<byte[]> noSize = Http.get(uri(locator.hash() + PieceDigests.URL_SUFFIX));
    assertEquals(400, noSize.statusCode());
    assertTrue(Http.text(noSize).contains("full locator"), Http.text(noSize));
    HttpResponse<byte[]> missing = Http.get(uri("0123456789abcdef0123456789abcdef+5" + PieceDigests.URL_SUFFIX));
    assertEquals(404, missing.statusCode(), Http.text(missing));
  }

  @Test
  void aCorruptBlockGetsNoDigests() throws Exception {
    byte[] bad = block.clone();
    bad[SIZE - 1] ^= 1;
    server.close();
    LocalDirectoryBlockStore reopened = new LocalDirectoryBlockStore("local", data);
    Files.write(local.pathOf(locator.hash()), bad);
    StoreChain chain = new StoreChain(List.<BlockStore>of(reopened), List.of(), Optional.empty(), reopened.tmpDir());
    server = JettyFixture.start(Map.of(BlockPath.PREFIX, new KeepBlockHandler(chain, KeepAccess.readOnlyOpen())));
    HttpResponse<byte[]> r = Http.get(uri(locator + PieceDigests.URL_SUFFIX));
    assertEquals(502, r.statusCode(), Http.text(r));
  }
}
