package org.keepfs.gateway.fs123;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keepfs.fs123.CacheControl;
import org.keepfs.fs123.Netstring;
import org.keepfs.fs123.StatfsReply;
import org.keepfs.gateway.export.ExportSettings;
import org.keepfs.gateway.export.PosixExportTree;
import org.keepfs.gateway.server.GatewayServer;
import org.keepfs.gateway.tree.CompositeTree;
import org.keepfs.gateway.tree.DirPage;
import org.keepfs.gateway.tree.FileRead;
import org.keepfs.gateway.tree.Fs123Tree;
import org.keepfs.gateway.tree.NodeAttributes;
import org.keepfs.posix.ErrnoException;

/**
 * Which thread answers {@code /f}: reads of cached data up to the inline limit on the I/O thread, and
 * everything else (larger reads, data a tree cannot copy from memory now) on a thread of its own, with
 * the same bytes either way.
 */
class FileReadThreadsTest {
  @TempDir Path data;
  final HttpClient http = HttpClient.newHttpClient();
  PosixExportTree export;
  GatewayServer server;

  /** One call to the tree: which method, and whether it ran on a virtual thread. */
  record Call(String method, boolean virtual) {}

  /** The export, recording its read calls; {@code cached} false makes it never read from memory. */
  static final class Recording implements Fs123Tree {
    final Fs123Tree inner;
    final boolean cached;
    final List<Call> calls = new CopyOnWriteArrayList<>();

    Recording(Fs123Tree inner, boolean cached) {
      this.inner = inner;
      this.cached = cached;
    }

    @Override
    public FileRead read(String path, long offset, ByteBuffer into) throws ErrnoException {
      calls.add(new Call("read", Thread.currentThread().isVirtual()));
      return inner.read(path, offset, into);
    }

    @Override
    public FileRead readIfCached(String path, long offset, ByteBuffer into) throws ErrnoException {
      calls.add(new Call("readIfCached", Thread.currentThread().isVirtual()));
      if (!cached) {
        into.put(into.position(), new byte[Math.min(16, into.remaining())]);  // scribbled on, as allowed
        return null;
      }
      return inner.readIfCached(path, offset, into);
    }

    @Override
    public NodeAttributes attributes(String path) throws ErrnoException {
      return inner.attributes(path);
    }

    @Override
    public DirPage list(String path, boolean begin, long offset, int budgetBytes) throws ErrnoException {
      return inner.list(path, begin, offset, budgetBytes);
    }

    @Override
    public byte[] readlink(String path) throws ErrnoException {
      return inner.readlink(path);
    }

    @Override
    public StatfsReply statfs(String path) throws ErrnoException {
      return inner.statfs(path);
    }

    @Override
    public CacheControl cacheControl(String path, boolean directory) {
      return inner.cacheControl(path, directory);
    }
  }

  private Recording serve(boolean cached) throws Exception {
    export = new PosixExportTree("data", data, ExportSettings.defaults());
    Recording tree = new Recording(export, cached);
    server = GatewayServer.builder().listen(new InetSocketAddress("127.0.0.1", 0))
        .tree(new CompositeTree(Map.of("data", tree), ExportSettings.defaults().defaultCacheControl(), 1)).build();
    server.start();
    return tree;
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    if (export != null) {
      export.close();
    }
  }

  private byte[] write(int size) throws Exception {
    byte[] bytes = new byte[size];
    new Random(11).nextBytes(bytes);
    Files.write(data.resolve("file"), bytes);
    return bytes;
  }

  /** The data bytes of a /f reply, after its validator. */
  private byte[] fileBytes(String query) throws Exception {
    HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(
        URI.create(server.uri() + "/fs123/7/2/f/data/file?" + query)).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, r.statusCode());
    assertEquals("0", r.headers().firstValue("fs123-errno").orElseThrow());
    ByteBuffer body = ByteBuffer.wrap(r.body());
    Netstring.decodeUnsigned(body);
    byte[] out = new byte[body.remaining()];
    body.get(out);
    return out;
  }

  @Test
  void cachedReadsUpToTheLimitAreAnsweredOnTheIoThread() throws Exception {
    byte[] bytes = write(600_000);
    Recording tree = serve(true);
    assertArrayEquals(Arrays.copyOfRange(bytes, 131_072, 262_144), fileBytes("128;128"));
    assertEquals(List.of(new Call("readIfCached", false)), tree.calls);

    tree.calls.clear();
    assertArrayEquals(Arrays.copyOfRange(bytes, 0, 524_288), fileBytes("512;0"));
    assertTrue(512 * 1024 > Fs123Handler.MAX_INLINE_READ_BYTES);
    assertEquals(List.of(new Call("read", true)), tree.calls, "larger reads go to a thread of their own");
  }

  @Test
  void readsThatWouldWaitMoveToAThreadOfTheirOwnAndGiveTheSameBytes() throws Exception {
    byte[] bytes = write(300_000);
    Recording tree = serve(false);
    assertArrayEquals(Arrays.copyOfRange(bytes, 262_144, 300_000), fileBytes("128;256"), "the short last chunk");
    assertEquals(List.of(new Call("readIfCached", false), new Call("read", true)), tree.calls);
    assertFalse(tree.calls.isEmpty());

    tree.calls.clear();
    assertArrayEquals(Arrays.copyOfRange(bytes, 0, 131_072), fileBytes("128;0"),
        "what the first attempt wrote into the buffer is not sent");
    assertEquals(2, tree.calls.size());
  }
}
