package org.keepfs.gateway.keep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.Connection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keepfs.store.StoreChain;
import org.keepfs.store.local.LocalDirectoryBlockStore;

/** Several uploads on one keep-alive connection, which switches to large read buffers on its first PUT. */
class KeepUploadConnectionTest {
  static final String WRITER = "writer-token";

  @TempDir Path data;
  LocalDirectoryBlockStore local;
  JettyFixture server;

  @BeforeEach
  void start() throws Exception {
    local = new LocalDirectoryBlockStore("local", data);
    StoreChain chain = new StoreChain(List.of(local), List.of(local), Optional.empty(), local.tmpDir());
    KeepAccess access = new KeepAccess(Optional.empty(), Set.of(WRITER), Optional.empty());
    server = JettyFixture.start(Map.of(BlockPath.PREFIX, new KeepBlockHandler(chain, access)));
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  /** One HTTP/1.1 connection; requests are written whole and replies read by their Content-Length. */
  record KeepAlive(Socket socket, OutputStream out, InputStream in) implements AutoCloseable {
    static KeepAlive open(int port) throws IOException {
      Socket socket = new Socket("127.0.0.1", port);
      socket.setSoTimeout(20_000);
      return new KeepAlive(socket, socket.getOutputStream(), socket.getInputStream());
    }

    /** Sends a PUT whose body is {@code body}, in pieces of {@code piece} bytes; returns status line and body. */
    String put(String hash, byte[] body, int piece) throws IOException {
      out.write(("PUT /keep/" + hash + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + WRITER
          + "\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      for (int at = 0; at < body.length; at += piece) {
        out.write(body, at, Math.min(piece, body.length - at));
        out.flush();
      }
      return reply();
    }

    /** Sends a PUT with a chunked body, one HTTP chunk per {@code piece} bytes. */
    String putChunked(String hash, byte[] body, int piece) throws IOException {
      out.write(("PUT /keep/" + hash + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + WRITER
          + "\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      for (int at = 0; at < body.length; at += piece) {
        int n = Math.min(piece, body.length - at);
        out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body, at, n);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
      }
      out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return reply();
    }

    String reply() throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          throw new IOException("the connection closed after " + head);
        }
        head.write(b);
      }
      String headers = head.toString(StandardCharsets.US_ASCII);
      int length = headers.lines().filter(l -> l.regionMatches(true, 0, "Content-Length:", 0, 15))
          .map(l -> Integer.parseInt(l.substring(15).trim())).findFirst().orElse(0);
      return headers.lines().findFirst().orElseThrow() + "\n" + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  List<Path> filesUnder(Path dir) throws Exception {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).toList();
    }
  }

  @Test
  void uploadsOnOneConnectionAreStoredWholeAndItsReadBufferGrows() throws Exception {
    byte[] first = KeepBlockHandlerTest.bytes((3 << 20) + 5, 21);
    byte[] wrong = KeepBlockHandlerTest.bytes(1 << 20, 22);
    byte[] second = KeepBlockHandlerTest.bytes((2 << 20) + 77, 23);
    try (KeepAlive connection = KeepAlive.open(server.port())) {
      String reply = connection.put(KeepBlockHandlerTest.md5(first), first, 100_000);
      assertTrue(reply.startsWith("HTTP/1.1 200"), reply);
      assertTrue(reply.endsWith(KeepBlockHandlerTest.md5(first) + "+" + first.length + "\n"), reply);
      List<Connection> open = server.connections();
      assertEquals(1, open.size());
      assertEquals(KeepBlockHandler.UPLOAD_READ_BUFFER_BYTES, ((AbstractConnection) open.get(0)).getInputBufferSize());

      // A body that does not match its name, then a good one, on the same connection.
      reply = connection.put(KeepBlockHandlerTest.md5(second), wrong, 1 << 20);
      assertTrue(reply.startsWith("HTTP/1.1 400"), reply);
      reply = connection.put(KeepBlockHandlerTest.md5(second), second, 7_000);
      assertTrue(reply.startsWith("HTTP/1.1 200"), reply);
    }
    assertArrayEquals(first, Files.readAllBytes(local.pathOf(KeepBlockHandlerTest.md5(first))));
    assertArrayEquals(second, Files.readAllBytes(local.pathOf(KeepBlockHandlerTest.md5(second))));
    assertEquals(2, filesUnder(data).size());
  }

  @Test
  void aBodyCutShortAfterSeveralBuffersIs400AndStoresNothing() throws Exception {
    byte[] body = KeepBlockHandlerTest.bytes(3 << 20, 24);
    String head = "PUT /keep/" + KeepBlockHandlerTest.md5(body) + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
        + WRITER + "\r\nContent-Length: " + (body.length + 1000) + "\r\n";
    String reply = Http.raw(server.port(), head, body);
    assertTrue(reply.startsWith("HTTP/1.1 400"), reply);
    assertEquals(List.of(), filesUnder(data));
  }

  @Test
  void anEmptyBlockAndAChunkedBodyAreStoredOnAnUploadingConnection() throws Exception {
    byte[] empty = new byte[0];
    byte[] chunked = KeepBlockHandlerTest.bytes((1 << 20) + 999, 25);
    try (KeepAlive connection = KeepAlive.open(server.port())) {
      String reply = connection.put(KeepBlockHandlerTest.md5(empty), empty, 1);
      assertTrue(reply.startsWith("HTTP/1.1 200"), reply);
      assertTrue(reply.endsWith(KeepBlockHandlerTest.md5(empty) + "+0\n"), reply);
      reply = connection.putChunked(KeepBlockHandlerTest.md5(chunked), chunked, 50_000);
      assertTrue(reply.startsWith("HTTP/1.1 200"), reply);
      assertTrue(reply.endsWith(KeepBlockHandlerTest.md5(chunked) + "+" + chunked.length + "\n"), reply);
    }
    assertEquals(0, Files.size(local.pathOf(KeepBlockHandlerTest.md5(empty))));
    assertArrayEquals(chunked, Files.readAllBytes(local.pathOf(KeepBlockHandlerTest.md5(chunked))));
  }
}
