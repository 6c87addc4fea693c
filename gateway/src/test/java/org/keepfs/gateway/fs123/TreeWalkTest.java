package org.keepfs.gateway.fs123;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.keepfs.gateway.fs123.Fs123Assertions.assertOk;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keepfs.fs123.AttrReply;
import org.keepfs.fs123.DType;
import org.keepfs.fs123.DirEntry;
import org.keepfs.fs123.Fs123Query;
import org.keepfs.fs123.Fs123Request;
import org.keepfs.fs123.Netstring;
import org.keepfs.fs123.NextOffset;
import org.keepfs.fs123.RequestKind;

/**
 * Walks a whole export the way a client written from the protocol notes does (lookups with /a, listings
 * with /d and its offsets, reads in 128 KiB chunks until a short one, readlink with /l), building every URL
 * with the common encoder, and checks that it sees exactly what is on disk.
 */
class TreeWalkTest {
  @TempDir Path data;
  Gateway gw;

  @BeforeEach
  void start() throws Exception {
    Random random = new Random(42);
    String[] names = {"plain", "with space", "pct%25sign", "plus+sign", "ünïcødé", "semi;colon", "q?mark", "hash#tag",
        "new\nline", "tab\tchar", "empty"};
    Path deep = Files.createDirectories(data.resolve("a/b/c"));
    for (String n : names) {
      byte[] content = new byte[n.equals("empty") ? 0 : random.nextInt(400_000)];
      random.nextBytes(content);
      Files.write(data.resolve(n), content);
      Files.write(deep.resolve(n), content);
    }
    byte[] exact = new byte[131072];
    random.nextBytes(exact);
    Files.write(data.resolve("exactly-one-chunk"), exact);
    Files.createSymbolicLink(data.resolve("a/link"), Path.of("b/c/plain"));
    Files.createDirectory(data.resolve("empty-dir"));
    gw = new Gateway(data);
  }

  @AfterEach
  void stop() throws Exception {
    gw.close();
  }

  Gateway.Reply request(RequestKind kind, String path, Fs123Query query) throws Exception {
    return gw.get(new Fs123Request("/site", kind, path, query).toUrl());
  }

  @Test
  void walkingTheTreeOverFs123SeesExactlyWhatIsOnDisk() throws Exception {
    Map<String, String> seen = new TreeMap<>();
    walk("/data", seen);
    Map<String, String> expected = new TreeMap<>();
    try (Stream<Path> all = Files.walk(data)) {
      for (Path p : all.toList()) {
        if (p.equals(data)) {
          continue;
        }
        String rel = "/data/" + data.relativize(p);
        if (Files.isSymbolicLink(p)) {
          expected.put(rel, "link " + Files.readSymbolicLink(p));
        } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          expected.put(rel, "dir");
        } else {
          expected.put(rel, "file " + java.util.HexFormat.of().formatHex(
              java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
        }
      }
    }
    assertEquals(expected, seen);
  }

  private void walk(String dir, Map<String, String> seen) throws Exception {
    AttrReply attrs = AttrReply.parse(assertOk(request(RequestKind.ATTRIBUTES, dir, new Fs123Query.None())).body());
    assertTrue(attrs.attributes().isDirectory(), dir);
    boolean begin = true;
    long offset = 0;
    while (true) {
      Gateway.Reply r = assertOk(request(RequestKind.DIRECTORY, dir, new Fs123Query.Dir(1, begin, offset)));
      for (DirEntry e : DirEntry.parseAll(r.body())) {
        if (e.name().equals(".") || e.name().equals("..")) {
          continue;
        }
        String path = dir + "/" + e.name();
        Gateway.Reply a = assertOk(request(RequestKind.ATTRIBUTES, path, new Fs123Query.None()));
        AttrReply child = AttrReply.parse(a.body());
        assertEquals(DType.ofMode(child.attributes().mode()), e.dType(), path);
        switch (e.dType()) {
          case DType.DIR -> {
            assertEquals(a.cookie(), e.cookie(), path);
            seen.put(path, "dir");
            walk(path, seen);
          }
          case DType.REG -> {
            assertEquals(a.cookie(), e.cookie(), path);
            seen.put(path, "file " + java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(read(path, child))));
          }
          case DType.LNK -> seen.put(path, "link " + new String(
              assertOk(request(RequestKind.LINK, path, new Fs123Query.None())).body(), StandardCharsets.UTF_8));
          default -> throw new AssertionError("unexpected d_type " + e.dType() + " for " + path);
        }
      }
      NextOffset next = NextOffset.parse(r.header("fs123-nextoffset"));
      if (next.eof()) {
        return;
      }
      begin = false;
      offset = next.offset();
    }
  }

  private byte[] read(String path, AttrReply attrs) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (long chunk = 0; ; chunk++) {
      ByteBuffer body = ByteBuffer.wrap(assertOk(request(RequestKind.FILE, path, new Fs123Query.File(128, chunk * 128))).body());
      assertEquals(attrs.validator(), Netstring.decodeUnsigned(body), path);
      int n = body.remaining();
      byte[] b = new byte[n];
      body.get(b);
      out.writeBytes(b);
      if (n < 131072) {
        break;
      }
    }
    assertEquals(attrs.attributes().size(), out.size(), path);
    return out.toByteArray();
  }

  @Test
  void exactlyOneChunkEndsWithAnEmptySecondChunk() throws Exception {
    byte[] first = assertOk(request(RequestKind.FILE, "/data/exactly-one-chunk", new Fs123Query.File(128, 0))).body();
    byte[] second = assertOk(request(RequestKind.FILE, "/data/exactly-one-chunk", new Fs123Query.File(128, 128))).body();
    ByteBuffer b1 = ByteBuffer.wrap(first);
    long v = Netstring.decodeUnsigned(b1);
    assertEquals(131072, b1.remaining());
    ByteBuffer b2 = ByteBuffer.wrap(second);
    assertEquals(v, Netstring.decodeUnsigned(b2));
    assertEquals(0, b2.remaining());
    assertArrayEquals(Files.readAllBytes(data.resolve("exactly-one-chunk")), java.util.Arrays.copyOfRange(first, first.length - 131072, first.length));
  }
}
