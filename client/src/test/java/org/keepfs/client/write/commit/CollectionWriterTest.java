package org.keepfs.client.write.commit;

import org.keepfs.client.testing.MutableClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keepfs.client.fs.OpenFlags;
import org.keepfs.client.write.FileHandle;
import org.keepfs.client.write.WritableCollection;
import org.keepfs.client.write.http.CollectionApiClient;
import org.keepfs.client.write.http.GatewayHttp;
import org.keepfs.client.write.http.RetryPolicy;
import org.keepfs.manifest.Manifest;
import org.keepfs.manifest.PortableDataHash;

/** Commits through a real gateway on loopback: creation, two writers, a gateway restart, failed uploads, recovery. */
class CollectionWriterTest {
  static final OpenFlags WRITE = new OpenFlags(OpenFlags.Access.WRITE, true, false, false, false);
  static final OpenFlags READ = OpenFlags.READ_ONLY;

  @TempDir Path dir;
  GatewayFixture gateway;

  @BeforeEach
  void start() throws Exception {
    gateway = GatewayFixture.start(dir.resolve("gateway"));
  }

  @AfterEach
  void stop() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
  }

  WriterSettings settings(String spool) {
    return WriterSettings.of(gateway.uri(), Optional.of(GatewayFixture.TOKEN), "results", dir.resolve(spool))
        .withRetry(new RetryPolicy(40, Duration.ofMillis(20), Duration.ofMillis(250)));
  }

  static void write(WritableCollection c, String path, byte[] data) throws IOException {
    try (FileHandle h = c.open(path, WRITE, true)) {
      h.write(ByteBuffer.wrap(data), 0);
    }
  }

  static void write(WritableCollection c, String path, String text) throws IOException {
    write(c, path, text.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] read(WritableCollection c, String path) throws IOException {
    try (FileHandle h = c.open(path, READ, false)) {
      ByteBuffer b = ByteBuffer.allocate((int) h.size());
      while (b.hasRemaining() && h.read(b, b.position()) > 0) {
        // keep reading
      }
      return b.array();
    }
  }

  String headManifest() throws IOException {
    try (GatewayHttp http = new GatewayHttp(gateway.uri(), Optional.empty(), RetryPolicy.standard())) {
      return new CollectionApiClient(http).head("results").orElseThrow().manifestText();
    }
  }

  @Test
  void firstCommitCreatesTheCollectionAndASecondWriterSeesIt() throws Exception {
    try (CollectionWriter w = CollectionWriter.open(settings("spool-a"))) {
      assertTrue(w.dirty());
      assertTrue(w.lastPdh().isEmpty());
      write(w.tree(), "count.txt", "0123456789");
      write(w.tree(), "foo.txt", "foo");
      w.tree().mkdir("empty");
      Committer.Result r = w.commit();
      assertFalse(w.dirty());
      assertEquals(Optional.of(r.pdh()), w.lastPdh());
      String expected = ". a8430a058b8fbf408e1931b794dbd6fb+13 0:10:count.txt 10:3:foo.txt\n"
          + "./empty d41d8cd98f00b204e9800998ecf8427e+0 0:0:\\056\n";
      assertEquals(expected, headManifest());
      assertEquals(PortableDataHash.ofText(expected), r.pdh());
      assertFalse(Files.exists(dir.resolve("spool-a/snapshot")), "a clean commit leaves nothing to recover");
      assertFalse(w.commit().changed(), "a commit without changes moves nothing");
    }
    try (CollectionWriter other = CollectionWriter.open(settings("spool-b"))) {
      assertFalse(other.dirty());
      assertEquals("0123456789", new String(read(other.tree(), "count.txt"), StandardCharsets.UTF_8));
      assertTrue(other.tree().stat("empty").orElseThrow().directory());
    }
  }

  @Test
  void twoWritersKeepBothVersionsOfAFileBothChanged() throws Exception {
    Clock clock = Clock.fixed(Instant.parse("2026-11-23T14:05:09Z"), ZoneOffset.UTC);
    try (CollectionWriter a = CollectionWriter.open(settings("spool-a").withClock(clock))) {
      write(a.tree(), "shared.txt", "base");
      a.commit();
      try (CollectionWriter b = CollectionWriter.open(settings("spool-b").withClock(clock))) {
        write(a.tree(), "file1.txt", "foo");
        write(a.tree(), "only-a.txt", "from a");
        a.commit();
        write(b.tree(), "file1.txt", "bar");
        write(b.tree(), "only-b.txt", "from b");
        Committer.Result r = b.commit();
        String conflict = "file1.txt~20261123-140509~conflict~";
        assertEquals(java.util.List.of(conflict), r.conflicts());
        Manifest head = Manifest.parse(headManifest());
        WritableCollection check = b.tree();
        assertEquals("bar", new String(read(check, "file1.txt"), StandardCharsets.UTF_8));
        assertEquals("foo", new String(read(check, conflict), StandardCharsets.UTF_8));
        assertEquals("from a", new String(read(check, "only-a.txt"), StandardCharsets.UTF_8));
        assertEquals(java.util.List.of("file1.txt", conflict, "only-a.txt", "only-b.txt", "shared.txt"),
            head.root().names());
        assertEquals(r.pdh(), head.portableDataHash());
        assertFalse(b.dirty());
      }
    }
  }

  @Test
  void gatewayStoppedDuringUploadsAndRestartedLosesNothing() throws Exception {
    byte[] data = new byte[(70 << 20) + 12345];
    new java.util.Random(7).nextBytes(data);
    try (CollectionWriter w = CollectionWriter.open(settings("spool-a"))) {
      gateway.stop();
      CompletableFuture<Committer.Result> commit = CompletableFuture.supplyAsync(() -> {
        try {
          write(w.tree(), "big.bin", data);
          return w.commit();
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!commit.isDone() && System.nanoTime() < deadline && !Files.exists(dir.resolve("spool-a/buffers"))) {
        Thread.sleep(20);
      }
      Thread.sleep(300); // a few attempts fail against the stopped gateway
      assertFalse(commit.isDone(), "the commit cannot finish while the gateway is down");
      gateway.restart();
      Committer.Result r = commit.get(120, TimeUnit.SECONDS);
      assertTrue(r.changed());
      assertEquals(0, w.failedUploads());
    }
    try (CollectionWriter fresh = CollectionWriter.open(settings("spool-b"))) {
      assertTrue(Arrays.equals(data, read(fresh.tree(), "big.bin")), "the bytes read back from the gateway differ");
    }
  }

  @Test
  void uploadThatFailsAfterRetriesStaysInTheSpoolAndTheNextCommitSendsIt() throws Exception {
    WriterSettings quick = settings("spool-a").withRetry(new RetryPolicy(2, Duration.ofMillis(10), Duration.ofMillis(10)));
    try (CollectionWriter w = CollectionWriter.open(quick)) {
      write(w.tree(), "a.txt", "precious");
      gateway.stop();
      IOException failed = assertThrows(IOException.class, w::commit);
      assertTrue(failed.getMessage().contains("not in Keep"), failed.getMessage());
      assertTrue(w.dirty());
      assertEquals(1, w.failedUploads());
      try (var files = Files.list(dir.resolve("spool-a/buffers"))) {
        assertEquals(1, files.count(), "the failed block waits in the spool");
      }
      assertTrue(Files.exists(dir.resolve("spool-a/snapshot")));
      gateway.restart();
      w.commit();
      assertEquals(0, w.failedUploads());
      assertFalse(w.dirty());
    }
    try (CollectionWriter check = CollectionWriter.open(settings("spool-c"))) {
      assertEquals("precious", new String(read(check.tree(), "a.txt"), StandardCharsets.UTF_8));
    }
  }

  @Test
  void whatWasFsyncedIsRecoveredAfterTheWriterDies() throws Exception {
    byte[] big = new byte[(64 << 20) + 100];
    new java.util.Random(3).nextBytes(big);
    try (CollectionWriter w = CollectionWriter.open(settings("spool-a"))) {
      write(w.tree(), "kept.txt", "committed before");
      w.commit();
      write(w.tree(), "flushed.txt", "made durable by fsync");
      write(w.tree(), "big.bin", big);
      w.tree().mkdir("dir");
      try (FileHandle h = w.tree().open("flushed.txt", READ, false)) {
        h.fsync();
      }
      write(w.tree(), "lost.txt", "written after the last fsync");
      // the writer dies here: no commit, nothing but the spool survives
    }
    assertTrue(Files.exists(dir.resolve("spool-a/snapshot")));
    try (CollectionWriter recovered = CollectionWriter.open(settings("spool-a"))) {
      assertTrue(recovered.dirty());
      recovered.commit();
    }
    Manifest head = Manifest.parse(headManifest());
    assertEquals(java.util.List.of("big.bin", "dir", "flushed.txt", "kept.txt"), head.root().names());
    try (CollectionWriter check = CollectionWriter.open(settings("spool-b"))) {
      assertEquals("made durable by fsync", new String(read(check.tree(), "flushed.txt"), StandardCharsets.UTF_8));
      assertTrue(Arrays.equals(big, read(check.tree(), "big.bin")));
    }
    assertFalse(Files.exists(dir.resolve("spool-a/snapshot")));
  }

  @Test
  void idleCommitWaitsForQuietTime() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-11-23T14:00:00Z"));
    try (CollectionWriter w = CollectionWriter.open(settings("spool-a").withClock(clock))) {
      write(w.tree(), "a", "1");
      clock.advance(Duration.ofSeconds(5));
      assertTrue(w.commitIfIdle(Duration.ofSeconds(10)).isEmpty());
      clock.advance(Duration.ofSeconds(6));
      assertTrue(w.commitIfIdle(Duration.ofSeconds(10)).isPresent());
      assertFalse(w.dirty());
      clock.advance(Duration.ofSeconds(60));
      assertTrue(w.commitIfIdle(Duration.ofSeconds(10)).isEmpty(), "nothing to commit");
    }
  }
}
