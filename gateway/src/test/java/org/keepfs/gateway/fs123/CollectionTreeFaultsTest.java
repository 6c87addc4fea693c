package org.keepfs.gateway.fs123;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.keepfs.gateway.fs123.Fs123Assertions.assertErrno;
import static org.keepfs.gateway.fs123.Fs123Assertions.assertOk;
import static org.keepfs.gateway.fs123.KeepGateway.whole;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keepfs.fs123.AttrReply;
import org.keepfs.fs123.CacheControl;
import org.keepfs.fs123.Netstring;
import org.keepfs.locator.Locator;
import org.keepfs.posix.Errno;

/**
 * What the collection trees do when the stores let them down: a missing or corrupt block is EIO on
 * {@code /f} (never other bytes), a head whose manifest is gone is EIO, a stored manifest that does not
 * hash to its name is never served.
 */
class CollectionTreeFaultsTest {
  @TempDir Path dir;
  KeepGateway gw;

  @AfterEach
  void stop() throws Exception {
    if (gw != null) {
      gw.close();
    }
  }

  Path blockFile(Locator l) {
    return gw.data.resolve("blocks").resolve(l.hash().substring(0, 3)).resolve(l.hash());
  }

  Path manifestFile(String pdh) {
    return gw.data.resolve("collections").resolve("manifests").resolve(pdh);
  }

  static byte[] random(int n, long seed) {
    byte[] out = new byte[n];
    new Random(seed).nextBytes(out);
    return out;
  }

  @Test
  void aMissingBlockIsEioOnReadsWhileMetadataStillAnswers() throws Exception {
    gw = new KeepGateway(dir);
    Locator kept = gw.putBlock(random(5000, 1));
    Locator lost = gw.putBlock(random(6000, 2));
    String pdh = gw.commit("c", KeepGateway.manifest(Map.of("f", List.of(whole(kept), whole(lost)))), null);
    Files.delete(blockFile(lost));

    for (String base : List.of("/by_id/" + pdh, "/collections/c")) {
      assertEquals(11_000, AttrReply.parse(assertOk(gw.get("/fs123/7/2/a" + base + "/f")).body()).attributes().size());
      Gateway.Reply r = assertErrno(Errno.EIO, gw.get("/fs123/7/2/f" + base + "/f?128;0"));
      assertEquals(ReplyCacheControl.EXPORTD_ERROR, r.cacheControl(), "errors are cached briefly, not for a year");
      // The part before the missing block is still readable on its own.
      ByteBuffer first = ByteBuffer.wrap(assertOk(gw.get("/fs123/7/2/f" + base + "/f?4;0")).body());
      Netstring.decodeUnsigned(first);
      assertEquals(4096, first.remaining());
    }
  }

  @Test
  void aCorruptBlockIsNeverServed() throws Exception {
    gw = new KeepGateway(dir);
    byte[] good = random(20_000, 3);
    Locator block = gw.putBlock(good);
    String pdh = gw.commit("c", KeepGateway.manifest(Map.of("f", List.of(whole(block)))), null);
    gw.close();
    // Same length, other bytes, written while no gateway ran (a gateway trusts blocks it wrote itself).
    byte[] bad = good.clone();
    bad[12_345] ^= 1;
    Files.write(blockFile(block), bad);
    gw = new KeepGateway(dir);

    assertErrno(Errno.EIO, gw.get("/fs123/7/2/f/by_id/" + pdh + "/f?128;0"));
    // Even a range far from the flipped bit: the block is checked whole before any of it is used.
    assertErrno(Errno.EIO, gw.get("/fs123/7/2/f/collections/c/f?1;0"));
    assertOk(gw.get("/fs123/7/2/a/by_id/" + pdh + "/f"));
  }

  @Test
  void aHeadWhoseManifestIsGoneIsEioAndItsPdhIsUnknown() throws Exception {
    gw = new KeepGateway(dir);
    Locator block = gw.putBlock("x".getBytes(StandardCharsets.UTF_8));
    String pdh = gw.commit("c", KeepGateway.manifest(Map.of("f", List.of(whole(block)))), null);
    Files.delete(manifestFile(pdh));

    assertErrno(Errno.EIO, gw.get("/fs123/7/2/a/collections/c"));
    assertErrno(Errno.EIO, gw.get("/fs123/7/2/f/collections/c/f?128;0"));
    Gateway.Reply unknown = assertErrno(Errno.ENOENT, gw.get("/fs123/7/2/a/by_id/" + pdh));
    assertEquals(CacheControl.maxAge(5), unknown.cacheControl(), "the default --collection-max-age; it may come back");
  }

  @Test
  void aStoredManifestThatDoesNotHashToItsNameIsNotServed() throws Exception {
    gw = new KeepGateway(dir);
    Locator block = gw.putBlock("y".getBytes(StandardCharsets.UTF_8));
    String pdh = gw.commit("c", KeepGateway.manifest(Map.of("f", List.of(whole(block)))), null);
    Files.writeString(manifestFile(pdh), KeepGateway.manifest(Map.of("g", List.of(whole(block)))));

    assertErrno(Errno.EIO, gw.get("/fs123/7/2/a/by_id/" + pdh + "/g"));
    assertErrno(Errno.EIO, gw.get("/fs123/7/2/a/collections/c"));
    Files.writeString(manifestFile(pdh), ". not a manifest\n");
    assertErrno(Errno.EIO, gw.get("/fs123/7/2/d/by_id/" + pdh + "?128;1;0"));
  }

  @Test
  void manifestsAreCachedSoAServedCollectionSurvivesItsManifestFile() throws Exception {
    gw = new KeepGateway(dir);
    byte[] content = random(3000, 4);
    Locator block = gw.putBlock(content);
    String pdh = gw.commit("c", KeepGateway.manifest(Map.of("f", List.of(whole(block)))), null);
    assertOk(gw.get("/fs123/7/2/a/by_id/" + pdh + "/f"));
    Files.delete(manifestFile(pdh));
    ByteBuffer body = ByteBuffer.wrap(assertOk(gw.get("/fs123/7/2/f/by_id/" + pdh + "/f?128;0")).body());
    Netstring.decodeUnsigned(body);
    byte[] read = new byte[body.remaining()];
    body.get(read);
    assertArrayEquals(content, read, "an immutable manifest, once parsed, is served from memory");
    assertTrue(gw.get("/fs123/7/2/a/by_id/" + pdh).cacheControl().immutable());
  }
}
