package org.keepfs.gateway.fs123;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.keepfs.gateway.fs123.Fs123Assertions.assertFs123Etag;
import static org.keepfs.gateway.fs123.Fs123Assertions.assertOk;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keepfs.fs123.AttributedDirEntry;
import org.keepfs.fs123.DType;
import org.keepfs.fs123.DirEntry;
import org.keepfs.fs123.Fs123Protocol;
import org.keepfs.fs123.NextOffset;

/** The keepfs listing extension: {@code /d?Len;Begin;Offset;attrs} answered by an export. */
class ListingWithAttributesTest {
  @TempDir Path data;
  Gateway gw;

  @BeforeEach
  void start() throws Exception {
    Files.writeString(data.resolve("file"), "x");
    Files.createDirectory(data.resolve("dir"));
    Files.createSymbolicLink(data.resolve("link"), Path.of("file"));
    Files.writeString(data.resolve(".fs123_cc_rules"), "{\"cc\": \"max-age=30\", \"re-rules\": [{\"re\": \"file\", \"cc\": \"max-age=7\"}]}");
    gw = new Gateway(data);
  }

  @AfterEach
  void stop() throws Exception {
    gw.close();
  }

  List<AttributedDirEntry> listAll(String path, int lenKiB) throws Exception {
    List<AttributedDirEntry> all = new ArrayList<>();
    String url = "/fs123/7/2/d" + path + "?" + lenKiB + ";1;0;attrs";
    for (int chunk = 0; chunk < 100_000; chunk++) {
      Gateway.Reply r = assertOk(gw.get(url));
      assertEquals(Fs123Protocol.ENTRY_ATTRIBUTES_VERSION, r.header(Fs123Protocol.ENTRY_ATTRIBUTES_HEADER));
      assertTrue(r.body().length <= lenKiB * 1024, "a chunk never exceeds Len KiB");
      assertFs123Etag(r.header("etag"));
      NextOffset next = NextOffset.parse(r.header("fs123-nextoffset"));
      List<AttributedDirEntry> entries = AttributedDirEntry.parseAll(r.body());
      all.addAll(entries);
      if (next.eof()) {
        return all;
      }
      assertFalse(entries.isEmpty(), "a chunk that is not the last makes progress");
      url = "/fs123/7/2/d" + path + "?" + lenKiB + ";0;" + next.offset() + ";attrs";
    }
    throw new AssertionError("no EOF after 100000 chunks");
  }

  @Test
  void everyEntryCarriesWhatItsOwnAttrReplyWouldSay() throws Exception {
    Map<String, AttributedDirEntry> byName = new HashMap<>();
    for (AttributedDirEntry e : listAll("/data", 128)) {
      assertNull(byName.put(e.entry().name(), e), "listed once: " + e.entry().name());
    }
    assertEquals(Set.of(".", "..", "file", "dir", "link", ".fs123_cc_rules"), byName.keySet());
    assertTrue(byName.get(".").attributes().isEmpty());
    assertEquals(DType.LNK, byName.get("link").entry().dType());
    for (String name : List.of("file", "dir", "link")) {
      Gateway.Reply a = assertOk(gw.get("/fs123/7/2/a/data/" + name));
      AttributedDirEntry e = byName.get(name);
      assertArrayEquals(a.body(), e.attributes().orElseThrow().encode(), name + ": the /a body");
      assertEquals(a.cacheControl(), e.cacheControl(), name + ": the /a Cache-Control");
      assertEquals(a.cookie(), e.entry().cookie(), name + ": the /a cookie");
    }
    assertEquals(7, byName.get("file").cacheControl().maxAgeOrZero(), "the entry's own rule, not the directory's");
    assertNotEquals(7, byName.get("dir").cacheControl().maxAgeOrZero());
  }

  @Test
  void smallChunksPageThroughEveryEntryOnce() throws Exception {
    for (int i = 0; i < 60; i++) {
      Files.writeString(data.resolve("dir/f" + i), "content " + i);
    }
    List<AttributedDirEntry> all = listAll("/data/dir", 1);
    assertEquals(62, all.size());
    assertEquals(62, all.stream().map(e -> e.entry().name()).distinct().count());
    assertTrue(all.stream().filter(e -> e.entry().name().startsWith("f")).allMatch(e -> e.attributes().isPresent()));
  }

  @Test
  void aPlainRequestStillGetsAPlainListing() throws Exception {
    Gateway.Reply r = assertOk(gw.get("/fs123/7/2/d/data?128;1;0"));
    assertNull(r.header(Fs123Protocol.ENTRY_ATTRIBUTES_HEADER));
    assertEquals(6, DirEntry.parseAll(r.body()).size());
  }

  @Test
  void theTagChangesWhenAnEntryChangesThoughTheDirectoryDoesNot() throws Exception {
    String url = "/fs123/7/2/d/data?128;1;0;attrs";
    Gateway.Reply first = assertOk(gw.get(url));
    String tag = first.header("etag");
    Gateway.Reply again = gw.get(url, "If-None-Match", tag);
    assertEquals(304, again.status());
    assertEquals(Fs123Protocol.ENTRY_ATTRIBUTES_VERSION, again.header(Fs123Protocol.ENTRY_ATTRIBUTES_HEADER));
    Files.writeString(data.resolve("file"), "longer content now");
    Gateway.Reply changed = assertOk(gw.get(url, "If-None-Match", tag));
    assertEquals(200, changed.status());
    assertNotEquals(tag, changed.header("etag"));
    long size = AttributedDirEntry.parseAll(changed.body()).stream().filter(e -> e.entry().name().equals("file"))
        .findFirst().orElseThrow().attributes().orElseThrow().attributes().size();
    assertEquals(18, size);
  }
}
