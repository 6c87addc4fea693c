package org.keepfs.client.fuse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Unmounts a FUSE mount: {@code fusermount -u} (works for the user who mounted), then
 * {@code umount} (root), and only when both fail a lazy unmount ({@code -z}/{@code -l}) that
 * detaches the mount now and lets open files finish. Success means the kernel no longer lists it.
 */
public final class Unmounter {
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration GONE_TIMEOUT = Duration.ofSeconds(10);

  /** How the mount was removed. */
  public enum Outcome {
    CLEAN,
    LAZY
  }

  private Unmounter() {}

  /**
   * Unmounts {@code mountPoint}. With {@code lazyFallback} false, a busy mount stays mounted and the
   * error says so.
   */
  public static Outcome unmount(Path mountPoint, boolean lazyFallback) throws IOException {
    String path = MountTable.canonical(mountPoint).toString();
    List<String> failures = new ArrayList<>();
    if (run(failures, "fusermount", "-u", path) || run(failures, "umount", path)) {
      awaitGone(mountPoint);
      return Outcome.CLEAN;
    }
    if (lazyFallback && (run(failures, "fusermount", "-u", "-z", path) || run(failures, "umount", "-l", path))) {
      awaitGone(mountPoint);
      return Outcome.LAZY;
    }
    throw new IOException("could not unmount " + path + ": " + String.join("; ", failures)
        + (lazyFallback ? "" : " (a lazy unmount was not tried)"));
  }

  /** Runs a command; true on exit status 0, otherwise records why it failed. */
  private static boolean run(List<String> failures, String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getOutputStream().close();
      byte[] output = p.getInputStream().readAllBytes();
      if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        p.destroyForcibly();
        failures.add(String.join(" ", command) + " did not finish in " + COMMAND_TIMEOUT.toSeconds() + " s");
        return false;
      }
      if (p.exitValue() == 0) {
        return true;
      }
      failures.add(String.join(" ", command) + " exited " + p.exitValue() + ": " + new String(output, StandardCharsets.UTF_8).strip());
      return false;
    } catch (IOException e) {
      failures.add(command[0] + " could not run (" + e.getMessage() + ")");
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failures.add(command[0] + " was interrupted");
      return false;
    }
  }

  private static void awaitGone(Path mountPoint) throws IOException {
    Instant deadline = Instant.now().plus(GONE_TIMEOUT);
    while (MountTable.find(mountPoint).filter(MountInfo::isFuse).isPresent()) {
      if (Instant.now().isAfter(deadline)) {
        throw new IOException("the unmount command succeeded but " + mountPoint + " is still listed in /proc/self/mountinfo after "
            + GONE_TIMEOUT.toSeconds() + " s");
      }
      Polling.pause();
    }
  }
}
