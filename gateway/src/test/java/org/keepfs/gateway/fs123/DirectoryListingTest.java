package org.keepfs.gateway.fs123;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.keepfs.gateway.fs123.Fs123Assertions.assertErrno;
import static org.keepfs.gateway.fs123.Fs123Assertions.assertFs123Etag;
import static org.keepfs.gateway.fs123.Fs123Assertions.assertOk;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keepfs.fs123.DType;
import org.keepfs.fs123.DirEntry;
import org.keepfs.fs123.NextOffset;
import org.keepfs.posix.Errno;

class DirectoryListingTest {
  @TempDir Path data;
  Gateway gw;

  @BeforeEach
  void start() throws Exception {
    Files.writeString(data.resolve("file"), "x");
    Files.createDirectory(data.resolve("dir"));
    Files.createSymbolicLink(data.resolve("link"), Path.of("file"));
    gw = new Gateway(data);
  }

  @AfterEach
  void stop() throws Exception {
    gw.close();
  }

  /** Reads a whole listing the way the stock client does, checking every chunk on the way. */
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

  @Test
  void listingHasDotEntriesTypesAndCookies() throws Exception {
    Map<String, DirEntry> byName = new HashMap<>();
    for (DirEntry e : listAll("/data", 128)) {
      assertNull(byName.put(e.name(), e), "listed once: " + e.name());
    }
    assertEquals(Set.of(".", "..", "file", "dir", "link"), byName.keySet());
    assertEquals(DType.DIR, byName.get(".").dType());
    assertEquals(DType.DIR, byName.get("..").dType());
    assertEquals(DType.REG, byName.get("file").dType());
    assertEquals(DType.DIR, byName.get("dir").dType());
    assertEquals(DType.LNK, byName.get("link").dType());
    assertEquals(gw.get("/fs123/7/2/a/data/file").cookie(), byName.get("file").cookie(), "same cookie as /a");
    assertEquals(gw.get("/fs123/7/2/a/data/dir").cookie(), byName.get("dir").cookie());
    assertNotEquals(0, byName.get("file").cookie());
  }

  @Test
  void replyCarriesTheDirectoryCookieAndEof() throws Exception {
    Gateway.Reply r = assertOk(gw.get("/fs123/7/2/d/data?128;1;0"));
    assertTrue(r.header("fs123-nextoffset").endsWith(" EOF"), r.header("fs123-nextoffset"));
    assertEquals(gw.get("/fs123/7/2/a/data").cookie(), r.cookie());
    assertNotEquals(0, r.cookie());
  }

  @Test
  void rootListsEveryExportAsADirectory() throws Exception {
    List<DirEntry> root = listAll("", 128);
    assertEquals(List.of(".", "..", "data"), root.stream().map(DirEntry::name).toList());
    assertEquals(DType.DIR, root.get(2).dType());
    assertEquals(gw.get("/fs123/7/2/a/data").cookie(), root.get(2).cookie());
  }

  @Test
  void tenThousandEntriesComeBackExactlyOnceAcrossPages() throws Exception {
    Path big = Files.createDirectory(data.resolve("big"));
    for (int i = 0; i < 10_000; i++) {
      Files.createFile(big.resolve(String.format("entry-%05d", i)));
    }
    for (int len : new int[] {1, 4, 128}) {
      List<DirEntry> all = listAll("/data/big", len);
      Map<String, Long> counts = all.stream().collect(Collectors.groupingBy(DirEntry::name, Collectors.counting()));
      assertEquals(10_002, counts.size(), "all names plus . and .. with Len=" + len);
      assertTrue(counts.values().stream().allMatch(c -> c == 1), "every name exactly once with Len=" + len);
      assertTrue(all.stream().filter(e -> e.name().startsWith("entry-")).allMatch(e -> e.dType() == DType.REG && e.cookie() != 0));
    }
  }

  @Test
  void beginIgnoresTheOffset() throws Exception {
    Gateway.Reply fromStart = assertOk(gw.get("/fs123/7/2/d/data?128;1;0"));
    Gateway.Reply ignored = assertOk(gw.get("/fs123/7/2/d/data?128;1;999"));
    assertEquals(DirEntry.parseAll(fromStart.body()), DirEntry.parseAll(ignored.body()));
    assertEquals(5, DirEntry.parseAll(ignored.body()).size());
  }

  @Test
  void pastTheEndIsAnEmptyLastChunk() throws Exception {
    Gateway.Reply r = assertOk(gw.get("/fs123/7/2/d/data?128;0;1000"));
    assertEquals(0, r.body().length);
    assertTrue(NextOffset.parse(r.header("fs123-nextoffset")).eof());
    assertErrno(Errno.EINVAL, gw.get("/fs123/7/2/d/data?128;0;-1"));
  }

  @Test
  void etagGives304AndChangesWithTheDirectory() throws Exception {
    Gateway.Reply first = assertOk(gw.get("/fs123/7/2/d/data?128;1;0"));
    Gateway.Reply again = gw.get("/fs123/7/2/d/data?128;1;0", "If-None-Match", first.header("etag"));
    assertEquals(304, again.status());
    assertEquals(first.header("cache-control"), again.header("cache-control"));
    assertTrue(again.cacheControl().maxAge().isPresent());
    Files.writeString(data.resolve("added"), "y");
    Gateway.Reply changed = assertOk(gw.get("/fs123/7/2/d/data?128;1;0", "If-None-Match", first.header("etag")));
    assertTrue(DirEntry.parseAll(changed.body()).stream().anyMatch(e -> e.name().equals("added")));
  }

  @Test
  void aCachedListingIsRefreshedWhenTheDirectoryChanges() throws Exception {
    Path d = Files.createDirectory(data.resolve("settled"));
    Files.writeString(d.resolve("a"), "a");
    // Let the directory's times settle so its listing is cached, then change it.
    Thread.sleep(150);
    assertEquals(Set.of(".", "..", "a"), names(listAll("/data/settled", 128)));
    assertEquals(Set.of(".", "..", "a"), names(listAll("/data/settled", 128)));
    Files.writeString(d.resolve("b"), "b");
    assertEquals(Set.of(".", "..", "a", "b"), names(listAll("/data/settled", 128)));
    Files.delete(d.resolve("a"));
    assertEquals(Set.of(".", "..", "b"), names(listAll("/data/settled", 128)));
  }

  /** Listings of top-level directories are answered from one statx when cached: never for another inode. */
  @Test
  void aCachedListingIsNotServedOnceAnotherDirectoryOrASymlinkTakesThePath() throws Exception {
    Path d = Files.createDirectory(data.resolve("swapped"));
    Files.writeString(d.resolve("first"), "1");
    Path other = Files.createDirectory(data.resolve("other"));
    Files.writeString(other.resolve("second"), "2");
    Thread.sleep(150);  // settled, so both listings are cached
    assertEquals(Set.of(".", "..", "first"), names(listAll("/data/swapped", 128)));
    assertEquals(Set.of(".", "..", "second"), names(listAll("/data/other", 128)));
    long firstCookie = assertOk(gw.get("/fs123/7/2/d/data/swapped?128;1;0")).cookie();

    Files.move(d, data.resolve("away"));
    Files.move(other, d);
    Gateway.Reply replaced = assertOk(gw.get("/fs123/7/2/d/data/swapped?128;1;0"));
    assertEquals(Set.of(".", "..", "second"), names(DirEntry.parseAll(replaced.body())));
    assertNotEquals(firstCookie, replaced.cookie());

    Files.move(d, data.resolve("other"));
    Files.createSymbolicLink(d, data.resolve("away"));
    assertErrno(Errno.ENOTDIR, gw.get("/fs123/7/2/d/data/swapped?128;1;0"));
    assertErrno(Errno.ENOENT, gw.get("/fs123/7/2/d/data/nothing-here?128;1;0"));
  }

  @Test
  void listingErrorsAreErrnos() throws Exception {
    assertErrno(Errno.ENOTDIR, gw.get("/fs123/7/2/d/data/file?128;1;0"));
    assertErrno(Errno.ENOENT, gw.get("/fs123/7/2/d/data/none?128;1;0"));
    // A symlink is not a directory, and it is never followed.
    assertErrno(Errno.ENOTDIR, gw.get("/fs123/7/2/d/data/link?128;1;0"));
  }

  private static Set<String> names(List<DirEntry> entries) {
    return entries.stream().map(DirEntry::name).collect(Collectors.toSet());
  }
}
