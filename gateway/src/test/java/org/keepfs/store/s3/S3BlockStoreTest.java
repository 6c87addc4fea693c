package org.keepfs.store.s3;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.head;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.keepfs.gateway.keep.BlockPath;
import org.keepfs.gateway.keep.Http;
import org.keepfs.gateway.keep.JettyFixture;
import org.keepfs.gateway.keep.KeepAccess;
import org.keepfs.gateway.keep.KeepBlockHandler;
import org.keepfs.store.BlockStore;
import org.keepfs.store.Md5;
import org.keepfs.store.StoreChain;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

class S3BlockStoreTest {
  static final String WRITER = "w";

  @RegisterExtension
  static final S3ProxyExtension S3 = S3ProxyExtension.builder()
      .withCredentials("access", "secret").withBlobStoreProvider("transient").build();

  @TempDir Path spool;

  S3Settings settings(URI endpoint) {
    return new S3Settings(Optional.of(endpoint), "us-east-1", "blocks", "keep/", Optional.of("access"), Optional.of("secret"));
  }

  @BeforeEach
  void createBucket() {
    try (S3Client client = settings(S3.getUri()).newClient()) {
      client.createBucket(b -> b.bucket("blocks"));
    }
  }

  JettyFixture gatewayOn(BlockStore store) throws Exception {
    StoreChain chain = new StoreChain(List.of(store), List.of(store), Optional.empty(), spool);
    KeepAccess access = new KeepAccess(Optional.empty(), Set.of(WRITER), Optional.empty());
    return JettyFixture.start(Map.of(BlockPath.PREFIX, new KeepBlockHandler(chain, access)));
  }

  static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  List<Path> spoolFiles() throws Exception {
    try (Stream<Path> s = Files.walk(spool)) {
      return s.filter(Files::isRegularFile).toList();
    }
  }

  @Test
  void blocksRoundTripThroughS3AsObjectsNamedByHash() throws Exception {
    byte[] body = bytes(3 * BlockPath.PIECE_SIZE + 7, 1);
    String hash = Md5.hex(ByteBuffer.wrap(body));
    try (S3BlockStore store = new S3BlockStore("s3", settings(S3.getUri()));
        JettyFixture gw = gatewayOn(store)) {
      HttpResponse<byte[]> put = Http.put(gw.uri("/keep/" + hash), body, "Authorization", "Bearer " + WRITER);
      assertEquals(200, put.statusCode(), Http.text(put));
      assertEquals(List.of(), spoolFiles());
      try (S3Client client = settings(S3.getUri()).newClient()) {
        byte[] stored = client.getObjectAsBytes(b -> b.bucket("blocks").key("keep/" + hash)).asByteArray();
        assertArrayEquals(body, stored);
      }
      String loc = hash + "+" + body.length;
      assertArrayEquals(body, Http.get(gw.uri("/keep/" + loc)).body());
      HttpResponse<byte[]> piece = Http.get(gw.uri("/keep/" + loc + "/2"));
      assertEquals(200, piece.statusCode());
      assertArrayEquals(Arrays.copyOfRange(body, 2 * BlockPath.PIECE_SIZE, 3 * BlockPath.PIECE_SIZE), piece.body());
      assertEquals(body.length, store.sizeOf(hash).getAsLong());
    }
  }

  @Test
  void anObjectWhoseBytesAreNotTheBlockIsNeverServed() throws Exception {
    byte[] body = bytes(2 * BlockPath.PIECE_SIZE, 2);
    String hash = Md5.hex(ByteBuffer.wrap(body));
    byte[] other = bytes(body.length, 3);
    try (S3Client client = settings(S3.getUri()).newClient()) {
      client.putObject(b -> b.bucket("blocks").key("keep/" + hash), RequestBody.fromBytes(other));
    }
    try (S3BlockStore store = new S3BlockStore("s3", settings(S3.getUri()));
        JettyFixture gw = gatewayOn(store)) {
      String loc = hash + "+" + body.length;
      HttpResponse<byte[]> whole = Http.get(gw.uri("/keep/" + loc));
      assertEquals(502, whole.statusCode());
      HttpResponse<byte[]> piece = Http.get(gw.uri("/keep/" + loc + "/1"));
      assertEquals(502, piece.statusCode());
      assertFalse(Arrays.equals(Arrays.copyOfRange(other, BlockPath.PIECE_SIZE, body.length), piece.body()));
    }
  }

  @Test
  void unreachableS3Gives503AndLeavesNothingBehind() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    byte[] body = bytes(1000, 4);
    String hash = Md5.hex(ByteBuffer.wrap(body));
    try (S3BlockStore store = new S3BlockStore("s3", settings(URI.create("http://127.0.0.1:" + closedPort)));
        JettyFixture gw = gatewayOn(store)) {
      HttpResponse<byte[]> put = Http.put(gw.uri("/keep/" + hash), body, "Authorization", "Bearer " + WRITER);
      assertEquals(503, put.statusCode());
      assertTrue(Http.text(put).contains("S3 bucket blocks"), Http.text(put));
      assertEquals(List.of(), spoolFiles());
      assertEquals(503, Http.get(gw.uri("/keep/" + hash + "+1000")).statusCode());
    }
  }

  @Test
  void s3DroppingTheConnectionMidRequestGives503AndStoresNothing() throws Exception {
    WireMockServer broken = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    broken.start();
    try {
      // The existence check gets an honest 404; the upload itself is cut off.
      broken.stubFor(head(anyUrl()).atPriority(1).willReturn(aResponse().withStatus(404)));
      broken.stubFor(any(anyUrl()).atPriority(5).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
      byte[] body = bytes(200_000, 5);
      String hash = Md5.hex(ByteBuffer.wrap(body));
      try (S3BlockStore store = new S3BlockStore("s3", settings(URI.create(broken.baseUrl())));
          JettyFixture gw = gatewayOn(store)) {
        HttpResponse<byte[]> put = Http.put(gw.uri("/keep/" + hash), body, "Authorization", "Bearer " + WRITER);
        assertEquals(503, put.statusCode(), Http.text(put));
        assertTrue(Http.text(put).contains("writing " + hash), Http.text(put));
        assertEquals(List.of(), spoolFiles());
      }
      assertFalse(broken.findAll(com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor(anyUrl())).isEmpty());
      try (S3Client client = settings(S3.getUri()).newClient()) {
        assertEquals(0, client.listObjectsV2(b -> b.bucket("blocks")).keyCount());
      }
    } finally {
      broken.stop();
    }
  }
}
