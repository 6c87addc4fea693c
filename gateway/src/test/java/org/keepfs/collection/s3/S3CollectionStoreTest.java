package org.keepfs.collection.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.keepfs.collection.CollectionHead;
import org.keepfs.collection.HeadMovedException;
import org.keepfs.manifest.PortableDataHash;
import org.keepfs.store.StoreUnavailableException;
import org.keepfs.store.s3.S3Settings;
import software.amazon.awssdk.services.s3.S3Client;

class S3CollectionStoreTest {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T12:00:00Z"), ZoneOffset.UTC);

  @RegisterExtension
  static final S3ProxyExtension S3 = S3ProxyExtension.builder()
      .withCredentials("access", "secret").withBlobStoreProvider("transient").build();

  static S3Settings settings(URI endpoint) {
    return new S3Settings(Optional.of(endpoint), "us-east-1", "collections", "site/", Optional.of("access"), Optional.of("secret"));
  }

  @BeforeEach
  void createBucket() {
    try (S3Client client = settings(S3.getUri()).newClient()) {
      client.createBucket(b -> b.bucket("collections"));
    }
  }

  @Test
  void twoGatewaysOnOneBucketSeeOneTruth() throws Exception {
    try (S3CollectionStore a = new S3CollectionStore(settings(S3.getUri()), CLOCK);
        S3CollectionStore b = new S3CollectionStore(settings(S3.getUri()), CLOCK)) {
      PortableDataHash foo = a.putManifest(". acbd18db4cc2f85cedef654fccc4a4d8+3 0:3:foo\n");
      assertEquals("1f4b0bc7583c2a7f9102c395f4ffc5e3+45", foo.toString());
      CollectionHead created = a.swapHead("shared name", Optional.empty(), foo);
      assertEquals(1, created.version());
      assertEquals(Optional.of(created), b.head("shared name"));
      assertEquals(Optional.of(". acbd18db4cc2f85cedef654fccc4a4d8+3 0:3:foo\n"), b.manifest(foo));
      assertThrows(HeadMovedException.class, () -> b.swapHead("shared name", Optional.empty(), foo));
      PortableDataHash bar = b.putManifest(". 37b51d194a7513e45b56f6524f2d51f2+3 0:3:bar\n");
      assertEquals(2, b.swapHead("shared name", Optional.of(foo), bar).version());
      HeadMovedException moved = assertThrows(HeadMovedException.class, () -> a.swapHead("shared name", Optional.of(foo), foo));
      assertEquals(Optional.of(bar), moved.current());
      assertEquals(Optional.empty(), a.head("nobody"));
      assertEquals(Optional.empty(), a.manifest(PortableDataHash.EMPTY));
    }
  }

  /**
   * The race that matters: two gateways read the same head, both write. s3proxy checks conditions
   * before writing rather than atomically, so instead of hoping threads collide, gateway B's whole
   * update is run inside gateway A's window between read and conditional write.
   */
  @Test
  void whenAnotherGatewayMovesTheHeadBetweenReadAndWriteTheSlowerOneGets412() throws Exception {
    try (S3CollectionStore b = new S3CollectionStore(settings(S3.getUri()), CLOCK)) {
      PortableDataHash base = b.putManifest("");
      PortableDataHash theirs = b.putManifest(". 37b51d194a7513e45b56f6524f2d51f2+3 0:3:bar\n");
      b.swapHead("race", Optional.empty(), base);
      boolean[] bWon = {false};
      Runnable bUpdatesNow = () -> {
        try {
          b.swapHead("race", Optional.of(base), theirs);
          bWon[0] = true;
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      };
      try (S3CollectionStore a = new S3CollectionStore(settings(S3.getUri()), CLOCK, bUpdatesNow)) {
        PortableDataHash ours = a.putManifest(". acbd18db4cc2f85cedef654fccc4a4d8+3 0:3:foo\n");
        HeadMovedException e = assertThrows(HeadMovedException.class, () -> a.swapHead("race", Optional.of(base), ours));
        assertTrue(bWon[0]);
        assertEquals(Optional.of(theirs), e.current());
        assertEquals(theirs, a.head("race").orElseThrow().pdh());
        assertEquals(2, a.head("race").orElseThrow().version());
      }
      // The same window on create: both saw no head; the second create must not overwrite the first.
      Runnable bCreatesNow = () -> {
        try {
          b.swapHead("fresh", Optional.empty(), theirs);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      };
      try (S3CollectionStore a = new S3CollectionStore(settings(S3.getUri()), CLOCK, bCreatesNow)) {
        assertThrows(HeadMovedException.class, () -> a.swapHead("fresh", Optional.empty(), base));
        assertEquals(theirs, a.head("fresh").orElseThrow().pdh());
      }
    }
  }

  /**
   * An SDK retry of a conditional PUT that had already succeeded meets its own write and gets 412.
   * That must be reported as the success it was, not as a moved head. Writing the identical record
   * inside the window (same clock, name, version and PDH) reproduces what the retry sees.
   */
  @Test
  void aPreconditionFailureCausedByOurOwnEarlierWriteIsASuccess() throws Exception {
    try (S3CollectionStore b = new S3CollectionStore(settings(S3.getUri()), CLOCK)) {
      PortableDataHash base = b.putManifest("");
      PortableDataHash next = b.putManifest(". acbd18db4cc2f85cedef654fccc4a4d8+3 0:3:foo\n");
      b.swapHead("retried", Optional.empty(), base);
      Runnable sameWriteLandsFirst = () -> {
        try {
          b.swapHead("retried", Optional.of(base), next);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      };
      try (S3CollectionStore a = new S3CollectionStore(settings(S3.getUri()), CLOCK, sameWriteLandsFirst)) {
        CollectionHead head = a.swapHead("retried", Optional.of(base), next);
        assertEquals(next, head.pdh());
        assertEquals(2, head.version());
        assertEquals(Optional.of(head), a.head("retried"));
      }
    }
  }

  @Test
  void unreachableS3IsReportedAsUnavailable() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    try (S3CollectionStore store = new S3CollectionStore(settings(URI.create("http://127.0.0.1:" + closedPort)), CLOCK)) {
      StoreUnavailableException e = assertThrows(StoreUnavailableException.class, () -> store.head("x"));
      assertTrue(e.getMessage().contains("S3 bucket collections"), e.getMessage());
    }
  }
}
