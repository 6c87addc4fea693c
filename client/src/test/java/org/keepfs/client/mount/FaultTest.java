package org.keepfs.client.mount;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keepfs.client.http.GatewayClient;
import org.keepfs.client.http.GatewayUnreachableException;
import org.keepfs.client.http.HttpOptions;
import org.keepfs.client.http.HttpStatusException;
import org.keepfs.client.http.RequestDirectives;
import org.keepfs.locator.Locator;
import org.keepfs.manifest.Manifest;
import org.keepfs.manifest.PortableDataHash;
import org.keepfs.posix.Errno;

/** Misbehaving servers (WireMock): 5xx, slow and truncated replies, a block with the wrong MD5. */
class FaultTest {
  @TempDir Path dir;
  WireMockServer server;
  WireMockServer second;

  @BeforeEach
  void start() {
    server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    server.start();
    second = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    second.start();
  }

  @AfterEach
  void stop() {
    server.stop();
    second.stop();
  }

  URI url(WireMockServer s) {
    return URI.create("http://127.0.0.1:" + s.port());
  }

  HttpOptions http(List<URI> fallbacks) {
    return HttpOptions.of(url(server)).withFallbacks(fallbacks)
        .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(2));
  }

  /** Replies slower than 1 s count as failures. */
  HttpOptions impatient(List<URI> fallbacks) {
    return http(fallbacks).withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(2));
  }

  @Test
  void a503IsRetriedAndTheNextReplyServed() throws Exception {
    server.stubFor(get(urlEqualTo("/x")).inScenario("s").whenScenarioStateIs(Scenario.STARTED)
        .willReturn(aResponse().withStatus(503).withBody("busy")).willSetStateTo("up"));
    server.stubFor(get(urlEqualTo("/x")).inScenario("s").whenScenarioStateIs("up")
        .willReturn(aResponse().withStatus(200).withBody("fine")));
    try (GatewayClient c = new GatewayClient(http(List.of()))) {
      assertEquals("fine", new String(c.get("/x", RequestDirectives.PLAIN).body(), StandardCharsets.UTF_8));
    }
    server.verify(2, getRequestedFor(urlEqualTo("/x")));
  }

  @Test
  void a404IsNotRetriedAndSaysWhatFailed() throws Exception {
    server.stubFor(get(urlEqualTo("/missing")).willReturn(aResponse().withStatus(404).withBody("no such thing")));
    try (GatewayClient c = new GatewayClient(http(List.of()))) {
      HttpStatusException e = assertThrows(HttpStatusException.class, () -> c.get("/missing", RequestDirectives.PLAIN));
      assertEquals(404, e.status());
      assertTrue(e.getMessage().contains("no such thing"), e.getMessage());
    }
    server.verify(1, getRequestedFor(urlEqualTo("/missing")));
  }

  @Test
  void aTruncatedBodyIsRetried() throws Exception {
    server.stubFor(get(urlEqualTo("/t")).inScenario("t").whenScenarioStateIs(Scenario.STARTED)
        .willReturn(aResponse().withFault(Fault.RANDOM_DATA_THEN_CLOSE)).willSetStateTo("whole"));
    server.stubFor(get(urlEqualTo("/t")).inScenario("t").whenScenarioStateIs("whole")
        .willReturn(aResponse().withStatus(200).withBody("complete")));
    try (GatewayClient c = new GatewayClient(http(List.of()))) {
      assertEquals("complete", new String(c.get("/t", RequestDirectives.PLAIN).body(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void aSlowServerTimesOutWithinTheBoundAndAFallbackTakesOver() throws Exception {
    server.stubFor(get(urlEqualTo("/slow")).willReturn(aResponse().withStatus(200).withBody("late").withFixedDelay(4000)));
    try (GatewayClient c = new GatewayClient(impatient(List.of()))) {
      GatewayUnreachableException e = assertThrows(GatewayUnreachableException.class, () -> c.get("/slow", RequestDirectives.PLAIN));
      assertInstanceOf(java.net.SocketTimeoutException.class, e.getCause(), "the retries ended on their time bound, after a timeout");
    }
    second.stubFor(get(urlEqualTo("/slow")).willReturn(aResponse().withStatus(200).withBody("fast")));
    try (GatewayClient c = new GatewayClient(impatient(List.of(url(second))))) {
      assertEquals("fast", new String(c.get("/slow", RequestDirectives.PLAIN).body(), StandardCharsets.UTF_8));
      // The slow URL is deferred now: the next request goes straight to the fallback.
      assertEquals("fast", new String(c.get("/slow", RequestDirectives.PLAIN).body(), StandardCharsets.UTF_8));
    }
    second.verify(2, getRequestedFor(urlEqualTo("/slow")));
  }

  @Test
  void requestsCarryStaleIfErrorAndTheTokenOnlyWhereItBelongs() throws Exception {
    server.stubFor(get(urlPathEqualTo("/keep/x")).willReturn(aResponse().withStatus(200).withBody("b")));
    server.stubFor(get(urlPathEqualTo("/fs123/7/2/a")).willReturn(aResponse().withStatus(200).withBody("a")));
    try (GatewayClient c = new GatewayClient(http(List.of()).withToken(java.util.Optional.of("sekrit")))) {
      c.get("/keep/x", RequestDirectives.NO_CACHE);
      c.get("/fs123/7/2/a", RequestDirectives.PLAIN);
    }
    server.verify(getRequestedFor(urlEqualTo("/keep/x")).withHeader("Authorization", containing("Bearer sekrit"))
        .withHeader("Cache-Control", containing("no-cache")).withHeader("Cache-Control", containing("stale-if-error=864000")));
    server.verify(getRequestedFor(urlEqualTo("/fs123/7/2/a")).withoutHeader("Authorization"));
  }

  @Test
  void aBlockWithTheWrongMd5IsRefetchedWithNoCacheThenEioAndNeverReturned() throws Exception {
    byte[] good = "the right bytes".getBytes(StandardCharsets.UTF_8);
    byte[] bad = "the wrong bytes".getBytes(StandardCharsets.UTF_8);
    Locator loc = Locator.of(TestGateway.md5(good), good.length);
    String text = ". " + loc + " 0:" + good.length + ":f\n";
    String pdh = PortableDataHash.ofNormalized(Manifest.parse(text)).toString();
    server.stubFor(get(urlEqualTo("/by_id/" + pdh + "/manifest"))
        .willReturn(aResponse().withStatus(200).withHeader("Cache-Control", "max-age=60").withBody(text)));
    server.stubFor(get(urlEqualTo("/keep/" + loc)).willReturn(aResponse().withStatus(200).withBody(bad)));
    try (ClientSetup c = ClientSetup.open(new ClientConfig(http(List.of()), dir.resolve("cache"), 256L << 20, false,
        Duration.ofDays(10), "", Duration.ofSeconds(5)))) {
      IOException e = assertThrows(IOException.class, () -> FsPaths.read(c.fileSystem(), "by_id/" + pdh + "/f"));
      assertEquals(Errno.EIO, Errno.of(e));
      assertTrue(e.getMessage().contains("wrong twice"), e.getMessage());
      assertTrue(c.renderStats().contains("block_cache.inserts 0"), c.renderStats());
    }
    server.verify(2, getRequestedFor(urlEqualTo("/keep/" + loc)));
    server.verify(1, getRequestedFor(urlEqualTo("/keep/" + loc)).withHeader("Cache-Control", containing("no-cache")));

    // The same block served right the second time is read.
    server.resetAll();
    server.stubFor(get(urlEqualTo("/by_id/" + pdh + "/manifest"))
        .willReturn(aResponse().withStatus(200).withHeader("Cache-Control", "max-age=60").withBody(text)));
    server.stubFor(get(urlEqualTo("/keep/" + loc)).inScenario("b").whenScenarioStateIs(Scenario.STARTED)
        .willReturn(aResponse().withStatus(200).withBody(bad)).willSetStateTo("fixed"));
    server.stubFor(get(urlEqualTo("/keep/" + loc)).inScenario("b").whenScenarioStateIs("fixed")
        .willReturn(aResponse().withStatus(200).withBody(good)));
    try (ClientSetup c = ClientSetup.open(new ClientConfig(http(List.of()), dir.resolve("cache2"), 256L << 20, false,
        Duration.ofDays(10), "", Duration.ofSeconds(5)))) {
      assertArrayEquals(good, FsPaths.read(c.fileSystem(), "by_id/" + pdh + "/f"));
    }
  }

  @Test
  void aServerThatIsNotFs123GetsAClearEio() throws Exception {
    server.stubFor(get(urlPathEqualTo("/fs123/7/2/a")).willReturn(aResponse().withStatus(200).withBody("hello")));
    try (ClientSetup c = ClientSetup.open(new ClientConfig(http(List.of()), dir.resolve("cache"), 256L << 20, false,
        Duration.ofDays(10), "", Duration.ofSeconds(5)))) {
      IOException e = assertThrows(IOException.class, c::checkRoot);
      assertInstanceOf(org.keepfs.posix.ErrnoException.class, e.getCause());
      assertTrue(e.getMessage().contains("fs123-errno"), e.getMessage());
    }
  }
}
