package org.keepfs.client.writable.tools;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs {@code /bin/sh -c SCRIPT} as a separate process, with a fixed git identity and no user or system git config. */
final class Shell {
  private static final long MINUTES = 5;

  private Shell() {}

  /** The script's standard output; fails the test with its output and error when it exits non-zero. */
  static String run(Path dir, String script) throws IOException, InterruptedException {
    Path out = Files.createTempFile("shell-out", ".txt");
    Path err = Files.createTempFile("shell-err", ".txt");
    try {
      ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", script).directory(dir.toFile())
          .redirectOutput(out.toFile()).redirectError(err.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
      Map<String, String> env = pb.environment();
      env.put("GIT_CONFIG_NOSYSTEM", "1");
      env.put("GIT_CONFIG_GLOBAL", "/dev/null");
      env.put("GIT_AUTHOR_NAME", "Test Author");
      env.put("GIT_AUTHOR_EMAIL", "author@example.org");
      env.put("GIT_COMMITTER_NAME", "Test Committer");
      env.put("GIT_COMMITTER_EMAIL", "committer@example.org");
      env.put("LC_ALL", "C.UTF-8");
      Process p = pb.start();
      if (!p.waitFor(MINUTES, TimeUnit.MINUTES)) {
        p.destroyForcibly().waitFor();
        fail("did not finish within " + MINUTES + " minutes: " + script);
      }
      String stdout = Files.readString(out, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        fail("exit " + p.exitValue() + " from: " + script + "\nstderr: " + Files.readString(err, StandardCharsets.UTF_8)
            + "\nstdout: " + stdout);
      }
      return stdout;
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
