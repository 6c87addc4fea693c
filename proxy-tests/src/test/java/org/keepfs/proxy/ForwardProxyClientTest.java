package org.keepfs.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.keepfs.client.cli.MountCommandLine;
import org.keepfs.client.http.HttpOptions;
import org.keepfs.client.mount.ClientConfig;

/**
 * {@code keepfs mount --proxy URL} and the {@code http_proxy} environment variables against a real
 * forward proxy: Squid with the shipped caching policy and a plain (not {@code accel}) port (see
 * {@link Proxies#forwardSquid}). The client names the gateway by its own URL and sends every request to
 * the proxy; Squid's access log shows each one, and a second client is served from Squid's cache.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(SharedClientOrigin.class)
class ForwardProxyClientTest {
  private ClientOrigin origin;
  private Path work;
  private ProxyProcess squid;

  @BeforeAll
  void start(ClientOrigin shared) throws Exception {
    origin = shared;
    work = origin.newDirectory("forward-");
    Path proxyDir = Files.createDirectories(work.resolve("squid"));
    squid = Proxies.forwardSquid(origin.host, proxyDir, 512);
  }

  @AfterAll
  void stop() {
    if (squid != null) {
      squid.close();
    }
  }

  @Test
  void theProxyOptionSendsEveryRequestThroughTheProxyAndASecondClientIsServedFromItsCache() throws Exception {
    ClientOrigin.Traffic[] cost = new ClientOrigin.Traffic[2];
    for (int i = 0; i < 2; i++) {
      ClientConfig config = MountCommandLine.config(origin.uri().toString(), work.resolve("mnt").toString(),
          "--proxy", squid.uri().toString(), "--cache-dir", work.resolve("option-cache-" + i).toString(),
          "--cache-size", "512M");
      assertEquals(Optional.of(squid.uri()), config.http().proxy(), "--proxy is what the client uses");
      long logged = proxiedRequests();
      ClientOrigin.Traffic before = origin.traffic();
      try (KeepfsReader r = new KeepfsReader(config)) {
        assertEquals(origin.exportFileMd5, r.md5("data/big"));
        awaitProxiedRequests(logged + r.stat("http.requests"));
        assertEquals(ClientOrigin.LISTING_FILES, r.listLong("data/many").size());
      }
      cost[i] = origin.traffic().minus(before);
    }
    assertTrue(cost[0].bytes() >= ClientOrigin.EXPORT_FILE_BYTES, "the first client's reads reached the gateway: " + cost[0]);
    assertTrue(cost[1].requests() * 100 < cost[0].requests() && cost[1].bytes() * 100 < cost[0].bytes(),
        "the second client through the forward proxy cost the gateway " + cost[1] + ", the first " + cost[0]);
  }

  @Test
  void httpProxyAndHttpProxyInCapitalsFromTheEnvironmentAreUsed() throws Exception {
    String hostPort = "127.0.0.1:" + squid.port();
    List<Map<String, String>> environments = List.of(
        Map.of("http_proxy", "http://" + hostPort + "/"),
        Map.of("HTTP_PROXY", hostPort, "no_proxy", "example.org,.example.net"));
    int i = 0;
    for (Map<String, String> env : environments) {
      Optional<URI> proxy = MountCommandLine.environmentProxy(origin.uri(), env);
      assertEquals(Optional.of(URI.create("http://" + hostPort)), proxy.map(p -> URI.create(p.toString().replaceAll("/$", ""))),
          "the proxy taken from " + env);
      long logged = proxiedRequests();
      try (KeepfsReader r = KeepfsReader.open(HttpOptions.of(origin.uri()).withProxy(proxy), work.resolve("env-cache-" + i++))) {
        assertEquals(origin.exportFileMd5, r.md5("data/big"));
        awaitProxiedRequests(logged + r.stat("http.requests"));
      }
    }
  }

  @Test
  void noProxyNamingTheGatewayMakesTheClientGoDirect() throws Exception {
    Map<String, String> env = Map.of("http_proxy", squid.uri().toString(), "no_proxy", "example.org, " + origin.host);
    Optional<URI> proxy = MountCommandLine.environmentProxy(origin.uri(), env);
    assertEquals(Optional.empty(), proxy, "no proxy for a gateway that no_proxy names");
    long logged = proxiedRequests();
    ClientOrigin.Traffic before = origin.traffic();
    try (KeepfsReader r = KeepfsReader.open(HttpOptions.of(origin.uri()).withProxy(proxy), work.resolve("direct-cache"))) {
      assertEquals(origin.exportFileMd5, r.md5("data/big"));
      ClientOrigin.Traffic cost = origin.traffic().minus(before);
      assertTrue(cost.requests() >= r.stat("http.requests"), "every request reached the gateway itself: " + cost);
    }
    assertEquals(logged, proxiedRequests(), "nothing went through the proxy");
  }

  /** Lines of Squid's access log for requests to the gateway (absolute URLs naming it). */
  private long proxiedRequests() throws IOException {
    Path log = work.resolve("squid/access.log");
    if (!Files.exists(log)) {
      return 0;
    }
    String gateway = " " + origin.uri() + "/";
    return Files.readAllLines(log, StandardCharsets.UTF_8).stream().filter(l -> l.contains(gateway)).count();
  }

  /** Squid writes a log line when a reply is complete; wait (with a deadline) until {@code expected} are there. */
  private void awaitProxiedRequests(long expected) throws Exception {
    long deadline = System.nanoTime() + 30_000_000_000L;
    long seen;
    while ((seen = proxiedRequests()) < expected) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("Squid's access log shows " + seen + " requests to " + origin.uri() + ", expected "
            + expected + " (every request the client made)");
      }
      Thread.sleep(50);
    }
  }
}
