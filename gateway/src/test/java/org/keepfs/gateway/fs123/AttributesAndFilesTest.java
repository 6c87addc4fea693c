package org.keepfs.gateway.fs123;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.keepfs.gateway.fs123.Fs123Assertions.assertErrno;
import static org.keepfs.gateway.fs123.Fs123Assertions.assertFs123Etag;
import static org.keepfs.gateway.fs123.Fs123Assertions.assertOk;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keepfs.fs123.AttrReply;
import org.keepfs.fs123.Attributes;
import org.keepfs.fs123.Netstring;
import org.keepfs.gateway.export.ExportSettings;
import org.keepfs.posix.Errno;

class AttributesAndFilesTest {
  @TempDir Path data;
  Gateway gw;
  byte[] big;

  @BeforeEach
  void start() throws Exception {
    big = new byte[300_000];
    new Random(7).nextBytes(big);
    Files.write(data.resolve("big"), big);
    Files.writeString(data.resolve("hello.txt"), "hello\n");
    Files.createDirectory(data.resolve("sub"));
    // An old mtime, so the validator is the mtime itself (no recent-change clamp).
    Files.setLastModifiedTime(data.resolve("big"), FileTime.from(Instant.parse("2020-01-02T03:04:05.123456789Z")));
    gw = new Gateway(data);
  }

  @AfterEach
  void stop() throws Exception {
    gw.close();
  }

  static AttrReply attrs(Gateway.Reply r) {
    return AttrReply.parse(r.body());
  }

  @Test
  void rootIsADirectoryListingTheExports() throws Exception {
    AttrReply a = attrs(assertOk(gw.get("/fs123/7/2/a")));
    assertTrue(a.attributes().isDirectory());
    assertTrue(attrs(assertOk(gw.get("/some/prefix/fs123/7/2/a"))).attributes().isDirectory(), "any prefix works");
    AttrReply d = attrs(assertOk(gw.get("/fs123/7/2/a/data")));
    assertTrue(d.attributes().isDirectory());
    assertEquals(Files.getAttribute(data, "unix:ino"), d.attributes().ino());
  }

  @Test
  void regularFileAttributesMatchTheFilesystem() throws Exception {
    Gateway.Reply r = assertOk(gw.get("/fs123/7/2/a/data/big"));
    Attributes a = attrs(r).attributes();
    assertTrue(a.isRegularFile());
    assertEquals(300_000, a.size());
    assertEquals(Files.getAttribute(data.resolve("big"), "unix:ino"), a.ino());
    assertEquals(((Number) Files.getAttribute(data.resolve("big"), "unix:mode")).longValue(), a.mode());
    assertEquals(Instant.parse("2020-01-02T03:04:05Z").getEpochSecond(), a.mtime());
    assertEquals(123456789, a.mtimeNsec());
    assertTrue(a.blocks() > 0 && a.blksize() > 0 && a.nlink() == 1);
    assertEquals(a.mtimeNanos(), attrs(r).validator(), "old files: validator = mtime in ns");
    assertNotEquals(0, r.cookie(), "regular files carry an ESTALE cookie");
    assertEquals("application/octet-stream", r.header("content-type"));
  }

  @Test
  void missingPathsAreCachedLikeSuccess() throws Exception {
    Gateway.Reply ok = assertOk(gw.get("/fs123/7/2/a/data/hello.txt"));
    Gateway.Reply missing = assertErrno(Errno.ENOENT, gw.get("/fs123/7/2/a/data/nope"));
    assertEquals(ok.cacheControl(), missing.cacheControl(), "ENOENT gets the path's normal cache control");
    assertEquals(ExportSettings.EXPORTD_DEFAULT_CACHE_CONTROL, missing.cacheControl());
    assertErrno(Errno.ENOENT, gw.get("/fs123/7/2/a/nosuchexport"));
    assertErrno(Errno.ENOENT, gw.get("/fs123/7/2/f/data/nope?128;0"));
    assertErrno(Errno.ENOENT, gw.get("/fs123/7/2/d/data/nope?128;1;0"));
  }

  @Test
  void otherErrorsAreCachedBriefly() throws Exception {
    Gateway.Reply r = assertErrno(Errno.ENOTDIR, gw.get("/fs123/7/2/a/data/hello.txt/x"));
    assertEquals(ReplyCacheControl.EXPORTD_ERROR, r.cacheControl());
    assertEquals(30, r.cacheControl().maxAgeOrZero());
  }

  @Test
  void fileReadsAreKiBChunksPrefixedByTheValidator() throws Exception {
    long validator = attrs(gw.get("/fs123/7/2/a/data/big")).validator();
    Gateway.Reply first = assertOk(gw.get("/fs123/7/2/f/data/big?128;0"));
    ByteBuffer body = ByteBuffer.wrap(first.body());
    assertEquals(validator, Netstring.decodeUnsigned(body), "/a and /f report the same validator");
    assertEquals(131072, body.remaining());
    assertArrayEquals(Arrays.copyOfRange(big, 0, 131072), rest(body));
    assertFs123Etag(first.header("etag"));
    assertEquals(attrs(gw.get("/fs123/7/2/a/data/big")).attributes().ino() != 0, true);

    Gateway.Reply last = assertOk(gw.get("/fs123/7/2/f/data/big?128;256"));
    ByteBuffer lb = ByteBuffer.wrap(last.body());
    assertEquals(validator, Netstring.decodeUnsigned(lb));
    assertEquals(300_000 - 262_144, lb.remaining(), "a short body means end of file");
    assertArrayEquals(Arrays.copyOfRange(big, 262_144, 300_000), rest(lb));

    ByteBuffer past = ByteBuffer.wrap(assertOk(gw.get("/fs123/7/2/f/data/big?128;1024")).body());
    Netstring.decodeUnsigned(past);
    assertEquals(0, past.remaining(), "reading past the end gives only the validator");

    ByteBuffer small = ByteBuffer.wrap(assertOk(gw.get("/fs123/7/2/f/data/big?1;3")).body());
    Netstring.decodeUnsigned(small);
    assertArrayEquals(Arrays.copyOfRange(big, 3072, 4096), rest(small), "Len and Offset are in KiB");
  }

  @Test
  void fileAndAttributeCookiesAgreeAndFileErrorsAreErrnos() throws Exception {
    long cookie = gw.get("/fs123/7/2/a/data/big").cookie();
    assertEquals(cookie, gw.get("/fs123/7/2/f/data/big?128;0").cookie());
    assertErrno(Errno.EISDIR, gw.get("/fs123/7/2/f/data/sub?128;0"));
    Files.createSymbolicLink(data.resolve("ln"), Path.of("big"));
    assertErrno(Errno.EINVAL, gw.get("/fs123/7/2/f/data/ln?128;0"));
  }

  @Test
  void fileEtagGives304UntilTheFileChanges() throws Exception {
    Gateway.Reply first = assertOk(gw.get("/fs123/7/2/f/data/big?128;0"));
    String etag = first.header("etag");
    Gateway.Reply again = gw.get("/fs123/7/2/f/data/big?128;0", "If-None-Match", etag);
    assertEquals(304, again.status());
    assertEquals(first.header("cache-control"), again.header("cache-control"), "304 repeats Cache-Control");
    assertEquals(etag, again.header("etag"));
    assertEquals(0, again.body().length);
    assertEquals(200, gw.get("/fs123/7/2/f/data/big?128;0", "If-None-Match", "\"12345\"").status());

    Files.write(data.resolve("big"), new byte[] {1, 2, 3});
    Gateway.Reply changed = assertOk(gw.get("/fs123/7/2/f/data/big?128;0", "If-None-Match", etag));
    assertNotEquals(etag, changed.header("etag"));
  }

  @Test
  void validatorsNeverDecreaseAcrossTouches() throws Exception {
    Path f = data.resolve("hello.txt");
    long previous = attrs(gw.get("/fs123/7/2/a/data/hello.txt")).validator();
    for (int i = 0; i < 20; i++) {
      Files.setLastModifiedTime(f, FileTime.from(Instant.now()));
      long now = attrs(gw.get("/fs123/7/2/a/data/hello.txt")).validator();
      long viaF = Netstring.decodeUnsigned(ByteBuffer.wrap(gw.get("/fs123/7/2/f/data/hello.txt?128;0").body()));
      assertTrue(now > previous, "touch " + i + ": " + now + " after " + previous);
      assertTrue(viaF >= now, "a later /f never reports an older validator");
      previous = viaF;
    }
    // Just modified: the validator is clamped below the mtime so a same-tick change still moves it.
    Files.writeString(f, "changed");
    Gateway.Reply r = gw.get("/fs123/7/2/a/data/hello.txt");
    AttrReply a = attrs(r);
    assertTrue(a.validator() <= a.attributes().mtimeNanos());
  }

  @Test
  void cookieChangesWhenAnotherInodeTakesThePath() throws Exception {
    Path f = data.resolve("hello.txt");
    long original = assertOk(gw.get("/fs123/7/2/a/data/hello.txt")).cookie();
    assertEquals(original, gw.get("/fs123/7/2/a/data/hello.txt").cookie(), "stable while the inode is the same");
    Files.writeString(f, "rewritten in place");
    assertEquals(original, gw.get("/fs123/7/2/a/data/hello.txt").cookie(), "content changes keep the cookie");

    Files.writeString(data.resolve("new.txt"), "replacement");
    Files.move(data.resolve("new.txt"), f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    long renamed = assertOk(gw.get("/fs123/7/2/a/data/hello.txt")).cookie();
    assertNotEquals(original, renamed, "rename-over gives a new cookie");

    Files.delete(f);
    assertErrno(Errno.ENOENT, gw.get("/fs123/7/2/a/data/hello.txt"));
    Files.writeString(f, "recreated");
    long recreated = assertOk(gw.get("/fs123/7/2/a/data/hello.txt")).cookie();
    assertNotEquals(renamed, recreated, "delete and recreate gives a new cookie");
    assertNotEquals(0, recreated);
  }

  /** Entries of an export's root are stat'ed without being opened, deeper paths are opened: same answers. */
  @Test
  void rootEntriesAndDeeperPathsGiveTheSameAttributesAndCookies() throws Exception {
    Files.createLink(data.resolve("sub/big-link"), data.resolve("big"));
    Files.createSymbolicLink(data.resolve("sub-link"), data.resolve("sub"));
    Gateway.Reply first = assertOk(gw.get("/fs123/7/2/a/data/big"));
    Gateway.Reply again = assertOk(gw.get("/fs123/7/2/a/data/big"));
    Gateway.Reply deeper = assertOk(gw.get("/fs123/7/2/a/data/sub/big-link"));
    assertArrayEquals(first.body(), again.body());
    assertArrayEquals(first.body(), deeper.body(), "the same inode through a hard link one level down");
    assertNotEquals(0, first.cookie());
    assertEquals(first.cookie(), again.cookie());
    assertEquals(first.cookie(), deeper.cookie());
    assertEquals(first.cookie(), assertOk(gw.get("/fs123/7/2/f/data/big?1;0")).cookie());

    Gateway.Reply root = assertOk(gw.get("/fs123/7/2/a/data"));
    assertNotEquals(0, root.cookie(), "the export root is a directory with a cookie");
    assertEquals(root.cookie(), assertOk(gw.get("/fs123/7/2/a/data")).cookie());
    assertEquals(root.cookie(), assertOk(gw.get("/fs123/7/2/d/data?128;1;0")).cookie());

    Gateway.Reply link = assertOk(gw.get("/fs123/7/2/a/data/sub-link"));
    assertTrue(attrs(link).attributes().isSymlink(), "a symlink among the root's entries is not followed");
    assertEquals(0, link.cookie(), "symlinks carry no cookie");
    assertErrno(Errno.ELOOP, gw.get("/fs123/7/2/a/data/sub-link/big-link"));
  }

  @Test
  void headCarriesTheSameHeadersAndNoBody() throws Exception {
    for (String url : new String[] {"/fs123/7/2/a/data/big", "/fs123/7/2/f/data/big?128;0",
        "/fs123/7/2/d/data?128;1;0", "/fs123/7/2/s/data", "/fs123/7/2/a/data/missing", "/fs123/7/2/n"}) {
      Gateway.Reply get = gw.get(url);
      Gateway.Reply head = gw.execute("HEAD", url);
      assertEquals(200, head.status(), url);
      assertEquals(0, head.body().length, url);
      assertEquals(get.header("fs123-errno"), head.header("fs123-errno"), url);
      assertEquals(get.header("cache-control"), head.header("cache-control"), url);
      assertEquals(get.header("etag"), head.header("etag"), url);
      assertEquals(get.header("fs123-nextoffset"), head.header("fs123-nextoffset"), url);
      if (!url.endsWith("/n")) {
        assertEquals(Integer.toString(get.body().length), head.header("content-length"), url);
      }
    }
  }

  @Test
  void cacheTagsAfterTheFieldsAreIgnored() throws Exception {
    assertOk(gw.get("/fs123/7/2/a/data/big?42"));
    assertOk(gw.get("/fs123/7/2/s/data?42"));
    Gateway.Reply f = assertOk(gw.get("/fs123/7/2/f/data/big?128;0;42"));
    assertEquals(131072 + Netstring.encodeUnsigned(attrs(gw.get("/fs123/7/2/a/data/big")).validator()).length,
        f.body().length);
    assertNull(gw.get("/fs123/7/2/a/data/big").header("fs123-nextoffset"));
  }

  private static byte[] rest(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }
}
