package org.keepfs.client.fuse;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** What the real-mount tests share: the skip rule and a way to run programs against the mount. */
public final class FuseMountSupport {
  private FuseMountSupport() {}

  /**
   * Skips when /dev/fuse is missing or we are not root, unless CI=true, where every missing piece
   * is a failure. A missing libfuse2 or fusermount always fails: it is an install step, not a
   * property of the machine.
   */
  public static void assumeFuseUsable() throws IOException {
    boolean ci = "true".equals(System.getenv("CI"));
    List<String> skipReasons = new ArrayList<>();
    if (!Files.exists(FusePrerequisites.DEVICE)) {
      skipReasons.add("/dev/fuse is missing");
    }
    if (!isRoot()) {
      skipReasons.add("the FUSE tests run as root and this is uid " + uid());
    }
    String message = "FUSE tests not run: " + String.join("; ", skipReasons);
    if (ci && !skipReasons.isEmpty()) {
      fail(message + " (CI=true, so this is a failure)");
    }
    Assumptions.assumeTrue(skipReasons.isEmpty(), message);
    List<String> missing = FusePrerequisites.missing();
    if (!missing.isEmpty()) {
      fail("FUSE pieces missing (list them in .ci/apt-packages): " + String.join("; ", missing));
    }
  }

  public static boolean isRoot() throws IOException {
    return uid() == 0;
  }

  private static int uid() throws IOException {
    return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
  }

  public record Result(int exit, String out, String err) {
    public Result requireSuccess() {
      if (exit != 0) {
        fail("command failed with exit " + exit + ": " + err + out);
      }
      return this;
    }
  }

  /** Runs a program in {@code dir}, waiting up to two minutes. */
  public static Result run(Path dir, String... command) throws IOException, InterruptedException {
    Path out = Files.createTempFile("fuse-test-out", ".txt");
    Path err = Files.createTempFile("fuse-test-err", ".txt");
    try {
      Process p = new ProcessBuilder(command).directory(dir.toFile())
          .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      p.getOutputStream().close();
      if (!p.waitFor(2, TimeUnit.MINUTES)) {
        p.destroyForcibly().waitFor();
        fail(String.join(" ", command) + " did not finish within two minutes");
      }
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  public static Result sh(Path dir, String script) throws IOException, InterruptedException {
    return run(dir, "/bin/sh", "-c", script);
  }
}
