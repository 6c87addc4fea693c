package org.keepfs.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.keepfs.client.http.HttpOptions;

/**
 * The keepfs client (its caches, HTTP client and filesystem, without the kernel) reading through a
 * real site cache in front of a real gateway: what issue 7 asks of a deployment, counted with the
 * gateway's own /metrics. Each subclass runs one proxy with its shipped configuration.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(SharedClientOrigin.class)
abstract class ClientThroughProxyContract {
  /** Room for the GiB file's pieces, the 128 MiB export file's chunks and the listing. */
  static final int CACHE_MIB = 1600;

  private ClientOrigin origin;
  private Path work;
  private ProxyProcess proxy;
  private final List<ProxyProcess> extraProxies = new ArrayList<>();

  /** Starts the proxy under test in front of the gateway at {@code address}:{@code port}. */
  abstract ProxyProcess startProxy(String address, int port, Path workDir, int cacheMib) throws IOException;

  @BeforeAll
  void start(ClientOrigin shared) throws Exception {
    origin = shared;
    work = origin.newDirectory(getClass().getSimpleName() + "-");
    proxy = startProxy(origin.address(), origin.port(), Files.createDirectories(work.resolve("proxy")), CACHE_MIB);
  }

  @AfterAll
  void stop() {
    extraProxies.forEach(ProxyProcess::close);
    if (proxy != null) {
      proxy.close();
    }
  }

  private String collectionFile() {
    return "by_id/" + origin.pdh + "/big.bin";
  }

  @Test
  void aSecondClientWithEmptyCachesCostsTheOriginUnderOnePercentOfTheFirst() throws Exception {
    ClientOrigin.Traffic first = readListingAndFiles("first");
    ClientOrigin.Traffic second = readListingAndFiles("second");
    assertTrue(first.bytes() >= ClientOrigin.COLLECTION_FILE_BYTES,
        "the first client's reads reached the gateway through the proxy: " + first);
    assertTrue(second.requests() * 100 < first.requests(),
        "the second client cost the gateway " + second.requests() + " requests, the first " + first.requests());
    assertTrue(second.bytes() * 100 < first.bytes(),
        "the second client cost the gateway " + second.bytes() + " bytes, the first " + first.bytes());
  }

  /**
   * One fresh client reads the GiB collection file and lists data/many the way {@code ls -l} does;
   * returns what the origin served for it. The file comes first: a listing starts a background fetch
   * of every entry's attributes that would compete with the read.
   */
  private ClientOrigin.Traffic readListingAndFiles(String name) throws Exception {
    ClientOrigin.Traffic before = origin.traffic();
    try (KeepfsReader r = KeepfsReader.open(HttpOptions.of(proxy.uri()), work.resolve(name + "-cache"))) {
      assertEquals(origin.collectionFileMd5, r.md5(collectionFile()), name + " client's MD5 of " + collectionFile());
      assertEquals(ClientOrigin.listingNames(), r.listLong("data/many").stream().sorted().toList(),
          name + " client's listing of data/many");
    }
    return origin.traffic().minus(before);
  }

  @Test
  void aProxyKilledInTheMiddleOfACollectionFileLeavesTheClientReadingFromItsFallback() throws Exception {
    readsOnAfterTheProxyIsKilled(collectionFile(), origin.collectionFileMd5, ClientOrigin.COLLECTION_FILE_BYTES);
  }

  @Test
  void aProxyKilledInTheMiddleOfAnExportFileLeavesTheClientReadingFromItsFallback() throws Exception {
    readsOnAfterTheProxyIsKilled("data/big", origin.exportFileMd5, ClientOrigin.EXPORT_FILE_BYTES);
  }

  /**
   * A client whose gateway URL is a fresh proxy and whose {@code --fallback-url} is the gateway reads
   * {@code path}; a quarter of the way in, the proxy and its helpers get SIGKILL. The read goes on
   * and returns the right bytes, the rest of which the gateway served directly (the proxy is dead).
   */
  private void readsOnAfterTheProxyIsKilled(String path, String md5, long size) throws Exception {
    Path dir = origin.newDirectory("killed-");
    ProxyProcess doomed = startProxy(origin.address(), origin.port(), Files.createDirectories(dir.resolve("proxy")),
        CACHE_MIB);
    extraProxies.add(doomed);
    HttpOptions http = HttpOptions.of(doomed.uri()).withFallbacks(List.of(origin.uri()));
    AtomicReference<ClientOrigin.Traffic> atKill = new AtomicReference<>();
    long killAt = size / 4;
    try (KeepfsReader r = KeepfsReader.open(http, dir.resolve("cache"))) {
      String got = r.md5(path, done -> {
        if (done >= killAt && atKill.get() == null) {
          doomed.kill();
          assertFalse(doomed.isAlive(), doomed + " is still running after SIGKILL");
          atKill.set(origin.traffic());
        }
      });
      assertEquals(md5, got, "MD5 of " + path + " read across the proxy's death");
      assertTrue(atKill.get() != null, "the proxy was killed during the read");
      assertTrue(r.stat("http.failures") >= 1, "the client saw the proxy fail:\n" + r.stats());
    }
    ClientOrigin.Traffic direct = origin.traffic().minus(atKill.get());
    // What the client had not yet read when the proxy died came from the gateway itself, less what
    // read-ahead had already fetched through the proxy (a chunk or a block; half is a wide margin).
    assertTrue(direct.bytes() >= (size - killAt) / 2,
        "the gateway served " + direct.bytes() + " bytes directly after the proxy died; " + (size - killAt) + " were left to read");
  }
}
