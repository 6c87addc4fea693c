package org.keepfs.gateway.export;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import org.keepfs.fs123.CacheControl;
import org.keepfs.gateway.linux.LinuxFiles;
import org.keepfs.gateway.linux.Statx;
import org.keepfs.posix.Errno;
import org.keepfs.posix.ErrnoException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the Cache-Control for a path from {@code .fs123_cc_rules} files: the rules file of a directory
 * applies to it and everything below, until a deeper one takes over. For a directory its own file
 * applies; for anything else, its parent's.
 *
 * <p>What applies to each directory is cached, and re-checked once the rules file's
 * {@code rulesfile-maxage} (or the export's default) has passed, so edits take effect without a
 * restart. A broken or unreadable rules file is logged and ignored, as if absent: it never fails a
 * request.
 */
public final class CacheRules {
  private static final Logger LOG = LoggerFactory.getLogger(CacheRules.class);
  private static final int MAX_DIRECTORIES = 10_000;
  private static final int MAX_RULES_FILE_BYTES = 256 * 1024;

  private final int rootFd;
  private final String exportName;
  private final ExportSettings settings;
  private final ConcurrentHashMap<String, Effective> cache = new ConcurrentHashMap<>();

  /** The rules in force for one directory, and until when that answer holds (wall-clock ns). */
  private record Effective(RuleSet rules, long expiresNanos) {}

  CacheRules(int rootFd, String exportName, ExportSettings settings) {
    this.rootFd = rootFd;
    this.exportName = exportName;
    this.settings = settings;
  }

  /** The Cache-Control for {@code path} (fs123 form: "" or "/a/b"). */
  public CacheControl forPath(String path, boolean directory) {
    String dir = directory ? path : parent(path);
    RuleSet rules = effective(dir, settings.wallClockNanos().getAsLong()).rules();
    String relative = path.isEmpty() ? "" : path.substring(1);
    return rules.cacheControlFor(relative);
  }

  private static String parent(String path) {
    int slash = path.lastIndexOf('/');
    return slash <= 0 ? "" : path.substring(0, slash);
  }

  private Effective effective(String dir, long now) {
    Effective e = cache.get(dir);
    if (e != null && now < e.expiresNanos()) {
      return e;
    }
    Effective inherited = dir.isEmpty()
        ? new Effective(new RuleSet(java.util.OptionalLong.empty(), settings.defaultCacheControl(), java.util.List.of()),
            Long.MAX_VALUE)
        : effective(parent(dir), now);
    Effective fresh = load(dir, inherited, now);
    if (cache.size() >= MAX_DIRECTORIES) {
      cache.clear();
    }
    cache.put(dir, fresh);
    return fresh;
  }

  private Effective load(String dir, Effective inherited, long now) {
    long defaultExpiry = now + settings.rulesFileMaxAgeSeconds() * 1_000_000_000L;
    String rel = dir.isEmpty() ? RuleSet.FILE_NAME : dir.substring(1) + "/" + RuleSet.FILE_NAME;
    String shown = exportName + "/" + rel;
    byte[] json;
    try {
      json = readRulesFile(rel, shown);
    } catch (ErrnoException e) {
      if (e.errno() != Errno.ENOENT && e.errno() != Errno.ENOTDIR) {
        LOG.warn("ignoring cache-control rules file {}: {}", shown, e.getMessage());
      }
      return new Effective(inherited.rules(), Math.min(defaultExpiry, inherited.expiresNanos()));
    }
    try {
      RuleSet rules = RuleSet.parse(json, inherited.rules().defaultCacheControl());
      long maxAge = rules.maxAgeSeconds().orElse(settings.rulesFileMaxAgeSeconds());
      return new Effective(rules, now + maxAge * 1_000_000_000L);
    } catch (IllegalArgumentException bad) {
      LOG.warn("ignoring broken cache-control rules file {}: {}", shown, bad.getMessage());
      return new Effective(inherited.rules(), Math.min(defaultExpiry, inherited.expiresNanos()));
    }
  }

  private byte[] readRulesFile(String rel, String shown) throws ErrnoException {
    int fd = LinuxFiles.openBeneath(rootFd, rel, LinuxFiles.O_PATH | LinuxFiles.O_NOFOLLOW);
    try {
      Statx sx = LinuxFiles.statx(fd, shown);
      if (!sx.attributes().isRegularFile()) {
        throw new ErrnoException(Errno.EINVAL, "not a regular file");
      }
      if (sx.attributes().size() > MAX_RULES_FILE_BYTES) {
        throw new ErrnoException(Errno.EFBIG, "larger than " + MAX_RULES_FILE_BYTES + " bytes");
      }
      return Files.readAllBytes(Path.of("/proc/self/fd/" + fd));
    } catch (IOException e) {
      throw new ErrnoException(Errno.of(e), e.getMessage());
    } finally {
      LinuxFiles.close(fd);
    }
  }
}
