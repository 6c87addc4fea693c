package org.keepfs.gateway.fs123;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.keepfs.gateway.fs123.Fs123Assertions.assertErrno;
import static org.keepfs.gateway.fs123.Fs123Assertions.assertFs123Etag;
import static org.keepfs.gateway.fs123.Fs123Assertions.assertOk;
import static org.keepfs.gateway.fs123.KeepGateway.whole;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keepfs.fs123.AttrReply;
import org.keepfs.fs123.Attributes;
import org.keepfs.fs123.CacheControl;
import org.keepfs.fs123.DType;
import org.keepfs.fs123.DirEntry;
import org.keepfs.fs123.Netstring;
import org.keepfs.fs123.NextOffset;
import org.keepfs.fs123.PathCodec;
import org.keepfs.fs123.StatfsReply;
import org.keepfs.locator.Locator;
import org.keepfs.manifest.PortableDataHash;
import org.keepfs.manifest.Segment;
import org.keepfs.posix.Errno;

/**
 * fs123 over collections, against the real gateway command with {@code --data}: collections made through
 * the JSON API from blocks PUT through {@code /keep/}, read back through every request kind under
 * {@code /by_id/<pdh>/} and {@code /collections/<name>/}.
 */
class CollectionTreesTest {
  static final String SPACED_DIR = "dir with space";
  static final String UTF8_NAME = "naïve 文件.txt";
  static final String COLON_NAME = "a:b c";
  static final long NAMED_MAX_AGE = 7;

  @TempDir Path dir;
  @TempDir Path exportDir;
  KeepGateway gw;
  byte[] a;
  byte[] b;
  byte[] hello = "hello\n".getBytes(StandardCharsets.UTF_8);
  Locator la;
  Locator lb;
  Locator lh;
  String pdh;

  @BeforeEach
  void start() throws Exception {
    Files.writeString(exportDir.resolve("exported"), "x");
    gw = new KeepGateway(dir, "--export", "data=" + exportDir, "--collection-max-age", Long.toString(NAMED_MAX_AGE));
    Random random = new Random(11);
    a = new byte[70_000];
    b = new byte[90_000];
    random.nextBytes(a);
    random.nextBytes(b);
    la = gw.putBlock(a);
    lb = gw.putBlock(b);
    lh = gw.putBlock(hello);
    pdh = gw.commit("c1", firstManifest(), null);
  }

  @AfterEach
  void stop() throws Exception {
    gw.close();
  }

  String firstManifest() {
    Map<String, List<Segment>> files = new LinkedHashMap<>();
    files.put("big", List.of(whole(la), whole(lb)));
    files.put(SPACED_DIR + "/" + UTF8_NAME, List.of(whole(lh)));
    files.put(COLON_NAME, List.of(new Segment(la, 100, 1000)));
    files.put("sub/deeper/x", List.of(whole(lh)));
    return KeepGateway.manifest(files);
  }

  static AttrReply attrs(Gateway.Reply r) {
    return AttrReply.parse(r.body());
  }

  static byte[] fileBytes(Gateway.Reply r, long expectedValidator) {
    ByteBuffer body = ByteBuffer.wrap(r.body());
    assertEquals(expectedValidator, Netstring.decodeUnsigned(body), "/f starts with the validator");
    byte[] out = new byte[body.remaining()];
    body.get(out);
    return out;
  }

  static byte[] concat(byte[] x, byte[] y) {
    byte[] out = Arrays.copyOf(x, x.length + y.length);
    System.arraycopy(y, 0, out, x.length, y.length);
    return out;
  }

  List<DirEntry> listAll(String path, int lenKiB) throws Exception {
    List<DirEntry> all = new java.util.ArrayList<>();
    String url = "/fs123/7/2/d" + path + "?" + lenKiB + ";1;0";
    for (int chunk = 0; chunk < 100_000; chunk++) {
      Gateway.Reply r = assertOk(gw.get(url));
      assertTrue(r.body().length <= lenKiB * 1024, "a chunk never exceeds Len KiB");
      assertFs123Etag(r.header("etag"));
      NextOffset next = NextOffset.parse(r.header("fs123-nextoffset"));
      List<DirEntry> entries = DirEntry.parseAll(r.body());
      all.addAll(entries);
      if (next.eof()) {
        return all;
      }
      assertFalse(entries.isEmpty(), "a chunk that is not the last makes progress");
      url = "/fs123/7/2/d" + path + "?" + lenKiB + ";0;" + next.offset();
    }
    throw new AssertionError("no EOF after 100000 chunks");
  }

  static Map<String, DirEntry> byName(List<DirEntry> entries) {
    Map<String, DirEntry> m = new HashMap<>();
    for (DirEntry e : entries) {
      assertNull(m.put(e.name(), e), "listed once: " + e.name());
    }
    return m;
  }

  @Test
  void rootListsTheExportsThenByIdAndCollections() throws Exception {
    List<DirEntry> root = listAll("", 128);
    assertEquals(List.of(".", "..", "data", "by_id", "collections"), root.stream().map(DirEntry::name).toList());
    assertTrue(root.stream().allMatch(e -> e.dType() == DType.DIR));
    assertEquals(List.of(".", ".."), listAll("/by_id", 128).stream().map(DirEntry::name).toList(),
        "by_id lists nothing, like arv-mount's magic directory");
    assertTrue(attrs(assertOk(gw.get("/fs123/7/2/a/by_id"))).attributes().isDirectory());
    assertTrue(attrs(assertOk(gw.get("/fs123/7/2/a/collections"))).attributes().isDirectory());
    assertOk(gw.get("/fs123/7/2/a/data/exported"));
  }

  @Test
  void byIdAnswersEveryRequestKindFromTheManifestAndTheBlocks() throws Exception {
    String base = "/by_id/" + pdh;
    Gateway.Reply top = assertOk(gw.get("/fs123/7/2/a" + base));
    assertTrue(attrs(top).attributes().isDirectory());
    assertEquals(1, attrs(top).validator());
    assertNotEquals(0, top.cookie());

    Gateway.Reply bigAttrs = assertOk(gw.get("/fs123/7/2/a" + base + "/big"));
    Attributes big = attrs(bigAttrs).attributes();
    assertTrue(big.isRegularFile());
    assertEquals(160_000, big.size());
    assertEquals(Attributes.S_IFREG | 0444, big.mode());
    long validator = attrs(bigAttrs).validator();

    Map<String, DirEntry> listing = byName(listAll(base, 128));
    assertEquals(Set.of(".", "..", "big", SPACED_DIR, COLON_NAME, "sub"), listing.keySet());
    assertEquals(DType.REG, listing.get("big").dType());
    assertEquals(DType.DIR, listing.get("sub").dType());
    assertEquals(bigAttrs.cookie(), listing.get("big").cookie(), "the listing's cookie is /a's");
    assertEquals(gw.get("/fs123/7/2/a" + base + "/sub").cookie(), listing.get("sub").cookie());

    // 128 KiB from offset 0 crosses from the first block into the second.
    Gateway.Reply first = assertOk(gw.get("/fs123/7/2/f" + base + "/big?128;0"));
    assertEquals(bigAttrs.cookie(), first.cookie(), "/f carries the file's cookie");
    byte[] whole = concat(a, b);
    assertArrayEquals(Arrays.copyOfRange(whole, 0, 131_072), fileBytes(first, validator));
    assertArrayEquals(Arrays.copyOfRange(whole, 131_072, 160_000),
        fileBytes(assertOk(gw.get("/fs123/7/2/f" + base + "/big?128;128")), validator), "a short body is end of file");
    assertArrayEquals(Arrays.copyOfRange(whole, 68 * 1024, 69 * 1024 + 1024),
        fileBytes(assertOk(gw.get("/fs123/7/2/f" + base + "/big?2;68")), validator), "a KiB range across the block seam");
    assertEquals(0, fileBytes(assertOk(gw.get("/fs123/7/2/f" + base + "/big?128;1024")), validator).length);
    assertArrayEquals(Arrays.copyOfRange(a, 100, 1100),
        fileBytes(assertOk(gw.get("/fs123/7/2/f" + base + "/" + PathCodec.encode(COLON_NAME) + "?128;0")), validator),
        "a segment from the middle of a block");

    assertErrno(Errno.EINVAL, gw.get("/fs123/7/2/l" + base + "/big"));
    assertErrno(Errno.EISDIR, gw.get("/fs123/7/2/f" + base + "/sub?128;0"));
    assertErrno(Errno.ENOTDIR, gw.get("/fs123/7/2/a" + base + "/big/x"));
    assertErrno(Errno.ENOTDIR, gw.get("/fs123/7/2/d" + base + "/big?128;1;0"));
    StatfsReply statfs = StatfsReply.parse(assertOk(gw.get("/fs123/7/2/s" + base)).body());
    assertEquals(1, statfs.flag(), "read-only");
    assertEquals(0, assertOk(gw.get("/fs123/7/2/x" + base + "/big?128;;")).body().length, "no xattr names");
    assertErrno(Errno.ENODATA, gw.get("/fs123/7/2/x" + base + "/big?128;user.x;"));
    assertErrno(Errno.ENOENT, gw.get("/fs123/7/2/x" + base + "/none?128;;"));
  }

  @Test
  void byIdIsImmutableWithConstantValidatorsAndCookies() throws Exception {
    String base = "/by_id/" + pdh;
    for (String url : List.of("/fs123/7/2/a/by_id", "/fs123/7/2/d/by_id?128;1;0", "/fs123/7/2/a" + base,
        "/fs123/7/2/d" + base + "?128;1;0", "/fs123/7/2/a" + base + "/big", "/fs123/7/2/f" + base + "/big?128;0",
        "/fs123/7/2/a" + base + "/missing", "/fs123/7/2/a/by_id/not-a-pdh")) {
      Gateway.Reply r = Fs123Assertions.assertFs123(gw.get(url));
      assertEquals(CacheControl.maxAge(31_536_000).withImmutable(true), r.cacheControl(), url);
      assertTrue(r.header("cache-control").contains("immutable"), url);
    }
    Gateway.Reply before = gw.get("/fs123/7/2/a" + base + "/big");
    gw.commit("c1", KeepGateway.manifest(Map.of("other", List.of(whole(lh)))), pdh);
    Gateway.Reply after = gw.get("/fs123/7/2/a" + base + "/big");
    assertArrayEquals(before.body(), after.body(), "moving a name does not touch what a PDH names");
    assertEquals(before.cookie(), after.cookie());
    assertEquals(before.header("etag"), after.header("etag"));
  }

  @Test
  void namesThatNeedEscapingTravelThroughThePathCodec() throws Exception {
    for (String base : List.of("/by_id/" + pdh, "/collections/c1")) {
      String spaced = base + "/" + PathCodec.encode(SPACED_DIR);
      assertTrue(spaced.contains("%20"), spaced);
      Map<String, DirEntry> inDir = byName(listAll(spaced, 128));
      assertEquals(Set.of(".", "..", UTF8_NAME), inDir.keySet(), "UTF-8 names come back as they were written");
      String file = spaced + "/" + PathCodec.encode(UTF8_NAME);
      assertTrue(file.contains("%C3%AF") && file.contains("%E6%96%87"), file);
      long v = attrs(assertOk(gw.get("/fs123/7/2/a" + file))).validator();
      assertArrayEquals(hello, fileBytes(assertOk(gw.get("/fs123/7/2/f" + file + "?128;0")), v));
      assertTrue(byName(listAll(base, 128)).containsKey(COLON_NAME));
      assertOk(gw.get("/fs123/7/2/a" + base + "/" + PathCodec.encode(COLON_NAME)));
    }
  }

  @Test
  void malformedAndUnknownPdhsAreEnoentAndOnlyUnknownOnesAreCachedBriefly() throws Exception {
    Gateway.Reply malformed = assertErrno(Errno.ENOENT, gw.get("/fs123/7/2/a/by_id/" + pdh.toUpperCase()));
    assertTrue(malformed.cacheControl().immutable(), "a malformed PDH never becomes valid");
    assertErrno(Errno.ENOENT, gw.get("/fs123/7/2/d/by_id/zz+1?128;1;0"));

    String later = KeepGateway.manifest(Map.of("later", List.of(whole(lh))));
    String laterPdh = PortableDataHash.ofText(later).toString();
    Gateway.Reply unknown = assertErrno(Errno.ENOENT, gw.get("/fs123/7/2/a/by_id/" + laterPdh));
    assertEquals(CacheControl.maxAge(NAMED_MAX_AGE), unknown.cacheControl(), "it may be stored later");
    assertErrno(Errno.ENOENT, gw.get("/fs123/7/2/f/by_id/" + laterPdh + "/later?128;0"));

    assertEquals(laterPdh, gw.commit("later", later, null));
    Gateway.Reply known = assertOk(gw.get("/fs123/7/2/a/by_id/" + laterPdh + "/later"));
    assertTrue(known.cacheControl().immutable());
  }

  @Test
  void namedCollectionsFollowTheHeadWithShortMaxAgeGrowingValidatorsAndNewCookies() throws Exception {
    String base = "/collections/c1";
    Gateway.Reply dir1 = assertOk(gw.get("/fs123/7/2/a" + base));
    assertEquals(CacheControl.maxAge(NAMED_MAX_AGE), dir1.cacheControl(), "max-age from --collection-max-age");
    assertEquals(1, attrs(dir1).validator(), "version 1");
    Gateway.Reply big1 = assertOk(gw.get("/fs123/7/2/a" + base + "/big"));
    Gateway.Reply colon1 = assertOk(gw.get("/fs123/7/2/a" + base + "/" + PathCodec.encode(COLON_NAME)));
    assertEquals(CacheControl.maxAge(NAMED_MAX_AGE), assertErrno(Errno.ENOENT, gw.get("/fs123/7/2/a" + base + "/none")).cacheControl());
    assertErrno(Errno.ENOENT, gw.get("/fs123/7/2/a/collections/nobody"));
    assertErrno(Errno.ENOENT, gw.get("/fs123/7/2/a/collections/" + "n".repeat(300))); // longer than a name may be
    Gateway.Reply dirPage1 = assertOk(gw.get("/fs123/7/2/d" + base + "?128;1;0"));
    Gateway.Reply file1 = assertOk(gw.get("/fs123/7/2/f" + base + "/big?128;0"));
    assertEquals(304, gw.get("/fs123/7/2/d" + base + "?128;1;0", "If-None-Match", dirPage1.header("etag")).status());
    assertEquals(304, gw.get("/fs123/7/2/f" + base + "/big?128;0", "If-None-Match", file1.header("etag")).status());

    // The name moves: big gets new content, the colon file is left as it was.
    Map<String, List<Segment>> files = new LinkedHashMap<>();
    files.put("big", List.of(whole(lb)));
    files.put(COLON_NAME, List.of(new Segment(la, 100, 1000)));
    String pdh2 = gw.commit("c1", KeepGateway.manifest(files), pdh);
    assertNotEquals(pdh, pdh2);

    Gateway.Reply dir2 = assertOk(gw.get("/fs123/7/2/a" + base));
    assertEquals(2, attrs(dir2).validator(), "the validator is the head's version, so it grows");
    assertNotEquals(dir1.cookie(), dir2.cookie(), "the name points at another collection: a new cookie");
    Gateway.Reply big2 = assertOk(gw.get("/fs123/7/2/a" + base + "/big"));
    assertNotEquals(big1.cookie(), big2.cookie(), "changed content is a different file");
    assertEquals(90_000, attrs(big2).attributes().size());
    assertEquals(colon1.cookie(), assertOk(gw.get("/fs123/7/2/a" + base + "/" + PathCodec.encode(COLON_NAME))).cookie(),
        "an unchanged file keeps its cookie, so open handles stay valid");
    assertErrno(Errno.ENOENT, gw.get("/fs123/7/2/a" + base + "/sub"));
    Gateway.Reply file2 = assertOk(gw.get("/fs123/7/2/f" + base + "/big?128;0", "If-None-Match", file1.header("etag")));
    assertArrayEquals(b, fileBytes(file2, 2));
    assertEquals(200, gw.get("/fs123/7/2/d" + base + "?128;1;0", "If-None-Match", dirPage1.header("etag")).status());
    assertTrue(attrs(dir2).attributes().mtimeNanos() >= attrs(dir1).attributes().mtimeNanos());
  }

  @Test
  void theCollectionsDirectoryListsEveryName() throws Exception {
    gw.commit("second one", KeepGateway.manifest(Map.of("f", List.of(whole(lh)))), null);
    // The list of names is reused for a second; poll until it includes the new one.
    long deadline = System.nanoTime() + 20_000_000_000L;
    Map<String, DirEntry> names;
    while (!(names = byName(listAll("/collections", 128))).containsKey("second one")) {
      assertTrue(System.nanoTime() < deadline, "the new name was never listed: " + names.keySet());
      Thread.sleep(100);
    }
    assertEquals(Set.of(".", "..", "c1", "second one"), names.keySet());
    assertEquals(gw.get("/fs123/7/2/a/collections/c1").cookie(), names.get("c1").cookie());
    assertEquals(DType.DIR, names.get("second one").dType());
    Gateway.Reply root = assertOk(gw.get("/fs123/7/2/a/collections"));
    assertEquals(4, attrs(root).attributes().nlink());
    assertEquals(2, attrs(root).validator(), "the sum of the heads' versions");
  }

  @Test
  void aBigCollectionDirectoryPagesWithEveryNameExactlyOnce() throws Exception {
    Map<String, List<Segment>> files = new LinkedHashMap<>();
    for (int i = 0; i < 3000; i++) {
      files.put("many/file " + String.format("%04d", i) + ":x", List.of(whole(lh)));
    }
    String manyPdh = gw.commit("many", KeepGateway.manifest(files), null);
    for (String base : List.of("/by_id/" + manyPdh + "/many", "/collections/many/many")) {
      for (int len : new int[] {1, 4, 128}) {
        List<DirEntry> all = listAll(base, len);
        Map<String, Long> counts = all.stream().collect(Collectors.groupingBy(DirEntry::name, Collectors.counting()));
        assertEquals(3002, counts.size(), base + " with Len=" + len);
        assertTrue(counts.values().stream().allMatch(c -> c == 1), "every name exactly once, Len=" + len);
      }
    }
    Gateway.Reply page = assertOk(gw.get("/fs123/7/2/d/by_id/" + manyPdh + "/many?1;1;0"));
    assertFalse(NextOffset.parse(page.header("fs123-nextoffset")).eof(), "1 KiB cannot hold 3000 names");
  }

  @Test
  void headRepliesMatchGetRepliesOnBothTrees() throws Exception {
    for (String url : List.of("/fs123/7/2/a/by_id/" + pdh + "/big", "/fs123/7/2/f/collections/c1/big?128;0",
        "/fs123/7/2/d/collections/c1?128;1;0")) {
      Gateway.Reply get = gw.get(url);
      Gateway.Reply head = gw.execute("HEAD", url, null);
      assertEquals(200, head.status(), url);
      assertEquals(0, head.body().length, url);
      assertEquals(get.header("cache-control"), head.header("cache-control"), url);
      assertEquals(get.header("etag"), head.header("etag"), url);
      assertEquals(get.header("fs123-estalecookie"), head.header("fs123-estalecookie"), url);
    }
  }
}
