package org.keepfs.proxy;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the proxy programs and the shipped configurations. A missing program skips the tests on a
 * developer machine but fails them in CI ({@code CI=true}), where .ci/apt-packages installs it.
 */
final class ProxyBinaries {
  private ProxyBinaries() {}

  /** The absolute path of {@code program}, searched in $PATH and the sbin directories. */
  static Path require(String program, String debianPackage) {
    List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
    dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/local/sbin"));
    Path found = dirs.stream().filter(d -> !d.isEmpty()).map(d -> Path.of(d, program)).filter(Files::isExecutable)
        .findFirst().orElse(null);
    String why = program + " is not installed (Debian package " + debianPackage + ", listed in .ci/apt-packages)";
    if (found == null && "true".equals(System.getenv("CI"))) {
      fail(why + "; CI=true, so this is a failure, not a skip");
    }
    assumeTrue(found != null, why + ": skipping outside CI");
    return found;
  }

  /** A file of the repository's deploy/ directory (the configuration under test). */
  static Path deployFile(String relative) {
    String dir = System.getProperty("keepfs.deploy.dir");
    if (dir == null) {
      fail("the system property keepfs.deploy.dir is not set (the module's surefire configuration sets it)");
    }
    Path p = Path.of(dir).resolve(relative).normalize();
    if (!Files.isRegularFile(p)) {
      fail("the shipped configuration " + p + " does not exist");
    }
    return p;
  }
}
