package org.keepfs.gateway.fs123;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.keepfs.gateway.fs123.Fs123Assertions.assertErrno;
import static org.keepfs.gateway.fs123.Fs123Assertions.assertOk;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keepfs.fs123.CacheControl;
import org.keepfs.gateway.export.ExportSettings;
import org.keepfs.posix.Errno;

class CacheRulesTest {
  @TempDir Path data;
  Gateway gw;

  @BeforeEach
  void start() throws Exception {
    Files.writeString(data.resolve(".fs123_cc_rules"), """
        {"rulesfile-maxage": 60, "cc": "max-age=7,stale-while-revalidate=3",
         "re-rules": [{"re": ".*\\\\.log", "cc": "max-age=1"}, {"re": "fixed/.*", "cc": "max-age=86400"}]}
        """);
    Files.writeString(data.resolve("plain.txt"), "x");
    Files.writeString(data.resolve("app.log"), "x");
    Files.createSymbolicLink(data.resolve("link.log"), Path.of("plain.txt"));
    Files.createDirectories(data.resolve("sub/deeper"));
    Files.writeString(data.resolve("sub/.fs123_cc_rules"), "{\"cc\": \"max-age=300\"}");
    Files.writeString(data.resolve("sub/deeper/file"), "x");
    Files.createDirectories(data.resolve("broken"));
    Files.writeString(data.resolve("broken/.fs123_cc_rules"), "{\"cc\": \"max-age=5\", oops");
    Files.writeString(data.resolve("broken/file"), "x");
    Files.createDirectories(data.resolve("nomaxage"));
    Files.writeString(data.resolve("nomaxage/.fs123_cc_rules"), "{\"cc\": \"public\"}");
    Files.createDirectories(data.resolve("fixed"));
    Files.writeString(data.resolve("fixed/f"), "x");
    gw = new Gateway(data, ExportSettings.defaults().withRulesFileMaxAgeSeconds(1), null);
  }

  @AfterEach
  void stop() throws Exception {
    gw.close();
  }

  long maxAge(String url) throws Exception {
    return assertOk(gw.get(url)).cacheControl().maxAgeOrZero();
  }

  @Test
  void rootRulesApplyWithRegexRulesFirst() throws Exception {
    Gateway.Reply r = assertOk(gw.get("/fs123/7/2/a/data/plain.txt"));
    assertEquals(CacheControl.maxAge(7).withStaleWhileRevalidate(3), r.cacheControl());
    assertEquals(1, maxAge("/fs123/7/2/a/data/app.log"));
    assertEquals(86400, maxAge("/fs123/7/2/f/data/fixed/f?128;0"));
    assertEquals(7, maxAge("/fs123/7/2/d/data?128;1;0"), "a directory uses its own rules file");
    assertEquals(1, maxAge("/fs123/7/2/l/data/link.log"), "symlinks follow the rules of their name");
  }

  @Test
  void negativeRepliesFollowTheRulesToo() throws Exception {
    assertEquals(1, assertErrno(Errno.ENOENT, gw.get("/fs123/7/2/a/data/missing.log")).cacheControl().maxAgeOrZero());
    assertEquals(7, assertErrno(Errno.ENOENT, gw.get("/fs123/7/2/a/data/missing")).cacheControl().maxAgeOrZero());
  }

  @Test
  void aDeeperRulesFileTakesOverForItsSubtree() throws Exception {
    assertEquals(300, maxAge("/fs123/7/2/a/data/sub"));
    assertEquals(300, maxAge("/fs123/7/2/a/data/sub/deeper"));
    assertEquals(300, maxAge("/fs123/7/2/a/data/sub/deeper/file"));
    assertEquals(7, maxAge("/fs123/7/2/a/data/plain.txt"));
  }

  @Test
  void brokenRulesFilesAreIgnoredNever5xx() throws Exception {
    assertEquals(7, maxAge("/fs123/7/2/a/data/broken/file"), "the parent's rules apply");
    assertEquals(7, maxAge("/fs123/7/2/a/data/broken"));
    assertEquals(7, maxAge("/fs123/7/2/a/data/nomaxage"), "a cc without max-age makes the file broken");
  }

  @Test
  void rulesFilesAreReadAgainAfterTheirMaxAge() throws Exception {
    Path rules = data.resolve("sub/.fs123_cc_rules");
    Files.writeString(rules, "{\"rulesfile-maxage\": 1, \"cc\": \"max-age=10\"}");
    long deadline = System.nanoTime() + 15_000_000_000L;
    while (maxAge("/fs123/7/2/a/data/sub/deeper/file") != 10) {
      assertTrue(System.nanoTime() < deadline, "the edited rules file was not picked up");
      Thread.sleep(100);
    }
    Files.writeString(rules, "{\"rulesfile-maxage\": 1, \"cc\": \"max-age=20\"}");
    while (maxAge("/fs123/7/2/a/data/sub/deeper/file") != 20) {
      assertTrue(System.nanoTime() < deadline, "the second edit was not picked up");
      Thread.sleep(100);
    }
    Files.writeString(rules, "not json at all");
    while (maxAge("/fs123/7/2/a/data/sub/deeper/file") != 7) {
      assertTrue(System.nanoTime() < deadline, "breaking the file did not fall back to the parent's rules");
      Thread.sleep(100);
    }
  }
}
