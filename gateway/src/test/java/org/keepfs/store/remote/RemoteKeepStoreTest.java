package org.keepfs.store.remote;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keepfs.gateway.keep.BlockPath;
import org.keepfs.gateway.keep.Http;
import org.keepfs.gateway.keep.JettyFixture;
import org.keepfs.gateway.keep.KeepAccess;
import org.keepfs.gateway.keep.KeepBlockHandler;
import org.keepfs.locator.Locator;
import org.keepfs.store.BlockNotFoundException;
import org.keepfs.store.BlockStore;
import org.keepfs.store.CorruptBlockException;
import org.keepfs.store.Md5;
import org.keepfs.store.StoreChain;
import org.keepfs.store.StoreUnavailableException;
import org.keepfs.store.local.BlockCache;
import org.keepfs.store.local.LocalDirectoryBlockStore;

class RemoteKeepStoreTest {
  static final RemoteKeepStore.Retry FAST = new RemoteKeepStore.Retry(3, Duration.ofMillis(10), Duration.ofSeconds(10));

  final List<WireMockServer> mocks = new ArrayList<>();
  @TempDir Path dir;

  @AfterEach
  void stopMocks() {
    mocks.forEach(WireMockServer::stop);
  }

  WireMockServer mock() {
    WireMockServer m = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    m.start();
    mocks.add(m);
    return m;
  }

  static KeepServiceEndpoint endpoint(String uuid, WireMockServer m) {
    return new KeepServiceEndpoint(uuid, URI.create(m.baseUrl() + "/"), Optional.of("remote-token"));
  }

  static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  static Locator locatorOf(byte[] b) {
    return Locator.of(Md5.hex(ByteBuffer.wrap(b)), b.length);
  }

  static void serve(WireMockServer m, Locator loc, byte[] body) {
    m.stubFor(get(urlPathMatching("/" + loc.hash() + ".*")).willReturn(aResponse().withStatus(200).withBody(body)));
  }

  static void status(WireMockServer m, int status) {
    m.stubFor(get(urlPathMatching("/.*")).atPriority(10).willReturn(aResponse().withStatus(status)));
  }

  @Test
  void probeOrderMatchesTheRendezvousVectors() throws Exception {
    JsonNode vectors = new ObjectMapper().readTree(
        Path.of(System.getProperty("keepfs.shared.dir"), "vectors", "keep.json").toFile()).get("rendezvous").get("cases");
    List<KeepServiceEndpoint> services = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      services.add(new KeepServiceEndpoint(String.format("zzzzz-bi6l4-%015x", i), URI.create("http://127.0.0.1:1/s" + i + "/"), Optional.empty()));
    }
    RemoteKeepStore store = new RemoteKeepStore("remote", services, FAST);
    for (JsonNode c : vectors) {
      String hash = Md5.hex(ByteBuffer.wrap(String.format("%064x", c.get("i").asInt()).getBytes(StandardCharsets.US_ASCII)));
      StringBuilder order = new StringBuilder();
      for (KeepServiceEndpoint s : store.probeOrder(Locator.of(hash, 1))) {
        order.append(Integer.toHexString(services.indexOf(s)));
      }
      assertEquals(c.get("order").asText(), order.toString(), "block " + c.get("i"));
    }
    // A +K hint puts the named service first and leaves the others in rendezvous order.
    String hash = Md5.hex(ByteBuffer.wrap(String.format("%064x", 0).getBytes(StandardCharsets.US_ASCII)));
    Locator hinted = Locator.parse(hash + "+1+K@zzzzz-bi6l4-000000000000007");
    List<KeepServiceEndpoint> order = store.probeOrder(hinted);
    assertEquals(services.get(7), order.get(0));
    assertEquals(16, order.size());
  }

  @Test
  void retriesTemporaryFailuresThenServes() throws Exception {
    byte[] body = bytes(5000, 1);
    Locator loc = locatorOf(body);
    WireMockServer m = mock();
    m.stubFor(get(urlPathMatching("/.*")).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
        .willReturn(aResponse().withStatus(503)).willSetStateTo("second"));
    m.stubFor(get(urlPathMatching("/.*")).inScenario("flaky").whenScenarioStateIs("second")
        .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)).willSetStateTo("third"));
    m.stubFor(get(urlPathMatching("/.*")).inScenario("flaky").whenScenarioStateIs("third")
        .willReturn(aResponse().withStatus(200).withBody(body)));
    RemoteKeepStore store = new RemoteKeepStore("remote", List.of(endpoint("a", m)), FAST);
    assertArrayEquals(body, toArray(store.read(loc, 0, body.length)));
    m.verify(3, getRequestedFor(urlPathMatching("/" + loc.hash() + ".*")));
    assertEquals("Bearer remote-token", m.getAllServeEvents().get(0).getRequest().getHeader("Authorization"));
  }

  @Test
  void notFoundOnlyWhenEveryServiceSays404() throws Exception {
    Locator loc = locatorOf(bytes(10, 2));
    WireMockServer a = mock();
    WireMockServer b = mock();
    status(a, 404);
    status(b, 404);
    RemoteKeepStore both404 = new RemoteKeepStore("remote", List.of(endpoint("a", a), endpoint("b", b)), FAST);
    assertThrows(BlockNotFoundException.class, () -> both404.read(loc, 0, 10));
    a.verify(1, getRequestedFor(urlPathMatching("/.*")));

    status(b, 500);
    RemoteKeepStore mixed = new RemoteKeepStore("remote", List.of(endpoint("a", a), endpoint("b", b)), FAST);
    StoreUnavailableException e = assertThrows(StoreUnavailableException.class, () -> mixed.read(loc, 0, 10));
    assertTrue(e.getMessage().contains("HTTP 500"), e.getMessage());
    b.verify(1 + 3, getRequestedFor(urlPathMatching("/.*")));
  }

  @Test
  void badBytesFromOneServiceAreDroppedAndTheNextServiceIsTried() throws Exception {
    byte[] body = bytes(4000, 3);
    Locator loc = locatorOf(body);
    WireMockServer liar = mock();
    WireMockServer honest = mock();
    byte[] wrong = body.clone();
    wrong[100] ^= 0x40;
    serve(liar, loc, wrong);
    serve(honest, loc, body);
    // The liar is hinted, so it is asked first whatever the rendezvous order.
    Locator hinted = Locator.parse(loc + "+K@liar");
    RemoteKeepStore store = new RemoteKeepStore("remote", List.of(endpoint("liar", liar), endpoint("honest", honest)), FAST);
    assertArrayEquals(body, toArray(store.read(hinted, 0, body.length)));
    liar.verify(1, getRequestedFor(urlPathMatching("/.*")));

    RemoteKeepStore onlyLiar = new RemoteKeepStore("remote", List.of(endpoint("liar", liar)), FAST);
    assertThrows(CorruptBlockException.class, () -> onlyLiar.read(loc, 0, body.length));
    serve(liar, loc, java.util.Arrays.copyOf(body, body.length - 1));
    assertThrows(CorruptBlockException.class, () -> onlyLiar.read(loc, 0, body.length));
  }

  @Test
  void aHintedServiceIsAskedFirstAndTheOthersNotAtAll() throws Exception {
    byte[] body = bytes(3000, 4);
    Locator loc = locatorOf(body);
    WireMockServer a = mock();
    WireMockServer b = mock();
    WireMockServer c = mock();
    serve(a, loc, body);
    serve(b, loc, body);
    serve(c, loc, body);
    RemoteKeepStore store = new RemoteKeepStore("remote",
        List.of(endpoint("zzzzz-bi6l4-00000000000000a", a), endpoint("zzzzz-bi6l4-00000000000000b", b),
            endpoint("zzzzz-bi6l4-00000000000000c", c)), FAST);
    for (String first : List.of("a", "b", "c")) {
      Locator hinted = Locator.parse(loc + "+K@zzzzz-bi6l4-00000000000000" + first + "+Zother");
      store.read(hinted, 0, body.length);
    }
    a.verify(1, getRequestedFor(urlPathMatching("/.*")));
    b.verify(1, getRequestedFor(urlPathMatching("/.*")));
    c.verify(1, getRequestedFor(urlPathMatching("/.*")));
  }

  @Test
  void anotherGatewayServesAsARemoteStoreAndItsBlocksAreCachedLocally() throws Exception {
    byte[] body = bytes(2 * BlockPath.PIECE_SIZE + 99, 5);
    Locator loc = locatorOf(body);
    LocalDirectoryBlockStore originStore = new LocalDirectoryBlockStore("origin", dir.resolve("origin"));
    StoreChain originChain = new StoreChain(List.of(originStore), List.of(originStore), Optional.empty(), originStore.tmpDir());
    KeepAccess originAccess = new KeepAccess(Optional.empty(), Set.of("w"), Optional.empty());
    BlockCache cache = new BlockCache(dir.resolve("cache"), 4L * Locator.MAX_BLOCK_SIZE);
    try (JettyFixture origin = JettyFixture.start(Map.of(BlockPath.PREFIX, new KeepBlockHandler(originChain, originAccess)))) {
      assertEquals(200, Http.put(origin.uri("/keep/" + loc.hash()), body, "Authorization", "Bearer w").statusCode());
      RemoteKeepStore remote = new RemoteKeepStore("origin-cluster",
          List.of(new KeepServiceEndpoint("zzzzz", origin.uri("/keep/"), Optional.empty())), FAST);
      StoreChain chain = new StoreChain(List.<BlockStore>of(remote), List.of(), Optional.of(cache), dir.resolve("spool"));
      try (JettyFixture edge = JettyFixture.start(Map.of(BlockPath.PREFIX, new KeepBlockHandler(chain, KeepAccess.readOnlyOpen())))) {
        HttpResponse<byte[]> piece = Http.get(edge.uri("/keep/" + loc + "/1"));
        assertEquals(200, piece.statusCode());
        assertArrayEquals(java.util.Arrays.copyOfRange(body, BlockPath.PIECE_SIZE, 2 * BlockPath.PIECE_SIZE), piece.body());
        assertEquals(loc.size(), cache.usedBytes());
        origin.close();
        HttpResponse<byte[]> whole = Http.get(edge.uri("/keep/" + loc));
        assertEquals(200, whole.statusCode(), "served from the cache once the origin is gone");
        assertArrayEquals(body, whole.body());
        HttpResponse<byte[]> unknownHint = Http.get(edge.uri("/keep/" + locatorOf(bytes(7, 6)) + "+K@nowhere"));
        assertEquals(503, unknownHint.statusCode());
        assertTrue(Http.text(unknownHint).contains("+K@nowhere"), Http.text(unknownHint));
      }
    }
  }

  static byte[] toArray(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }
}
