package org.keepfs.gateway.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.keepfs.fs123.CacheControl;
import org.keepfs.fs123.Fs123FormatException;
import org.keepfs.gateway.export.ExportSettings;
import org.keepfs.gateway.fs123.ReplyCacheControl;
import picocli.CommandLine.Option;

/** Which POSIX directories are exported over fs123, and their cache-control defaults. */
public final class ExportOptions {
  /** One {@code --export NAME=DIR}. */
  public record Export(String name, Path directory) {}

  @Option(names = "--export", paramLabel = "NAME=DIR",
      description = "Serve directory DIR read-only as /NAME (repeatable). The tree root lists every NAME.")
  List<String> exports = new ArrayList<>();

  @Option(names = "--export-root", paramLabel = "DIR",
      description = "Serve the single directory DIR as the tree root, the way fs123's exportd does."
          + " Cannot be combined with --export.")
  Path exportRoot;

  @Option(names = "--default-cache-control", paramLabel = "CC",
      defaultValue = "max-age=120,stale-while-revalidate=120,stale-if-error=10000000",
      description = "Cache-Control where no .fs123_cc_rules file applies (default: ${DEFAULT-VALUE}).")
  String defaultCacheControl;

  @Option(names = "--error-cache-control", paramLabel = "CC",
      defaultValue = "max-age=30,stale-while-revalidate=30,stale-if-error=1000000",
      description = "Cache-Control of errno replies other than ENOENT (default: ${DEFAULT-VALUE}).")
  String errorCacheControl;

  @Option(names = "--rules-file-max-age", paramLabel = "SECONDS", defaultValue = "90",
      description = "How long a .fs123_cc_rules file (or its absence) is trusted when it does not say"
          + " (default: ${DEFAULT-VALUE}).")
  long rulesFileMaxAgeSeconds;

  /** The {@code --export} values, checked; a bad one is an {@link IllegalArgumentException} naming it. */
  public List<Export> parsedExports() {
    List<Export> out = new ArrayList<>();
    for (String e : exports) {
      int eq = e.indexOf('=');
      if (eq <= 0 || eq == e.length() - 1) {
        throw new IllegalArgumentException("--export '" + e + "': expected NAME=DIR");
      }
      String name = e.substring(0, eq);
      if (name.contains("/") || name.equals(".") || name.equals("..") || name.startsWith(".fs123")) {
        throw new IllegalArgumentException("--export '" + e + "': '" + name + "' cannot be a top-level name");
      }
      if (out.stream().anyMatch(x -> x.name().equals(name))) {
        throw new IllegalArgumentException("--export '" + e + "': the name " + name + " is exported twice");
      }
      out.add(new Export(name, Path.of(e.substring(eq + 1))));
    }
    return out;
  }

  public ExportSettings settings() {
    CacheControl cc = cacheControl("--default-cache-control", defaultCacheControl);
    if (rulesFileMaxAgeSeconds < 0) {
      throw new IllegalArgumentException("--rules-file-max-age must not be negative: " + rulesFileMaxAgeSeconds);
    }
    return ExportSettings.defaults().withDefaultCacheControl(cc).withRulesFileMaxAgeSeconds(rulesFileMaxAgeSeconds);
  }

  public ReplyCacheControl replyCacheControl() {
    return ReplyCacheControl.defaults().withError(cacheControl("--error-cache-control", errorCacheControl));
  }

  private static CacheControl cacheControl(String option, String text) {
    CacheControl cc;
    try {
      cc = CacheControl.parse(text);
    } catch (Fs123FormatException e) {
      throw new IllegalArgumentException(option + ": " + e.getMessage());
    }
    if (cc.maxAge().isEmpty()) {
      throw new IllegalArgumentException(option + " '" + text + "' needs a max-age (fs123 clients require one)");
    }
    return cc;
  }
}
