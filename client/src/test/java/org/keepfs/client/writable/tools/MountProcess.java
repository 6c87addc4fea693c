package org.keepfs.client.writable.tools;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.keepfs.client.cli.UnmountCommand;
import org.keepfs.client.fuse.MountInfo;
import org.keepfs.client.fuse.MountTable;
import org.keepfs.client.fuse.Unmounter;
import picocli.CommandLine;

/**
 * {@code keepfs mount --read-write [--collection NAME] GATEWAY MOUNTPOINT --foreground} in a JVM of its
 * own, started with the launcher's flags. Closing it makes sure neither the process nor the mount is
 * left behind, whatever the test did.
 */
final class MountProcess implements AutoCloseable {
  private static final Duration MOUNT_WAIT = Duration.ofSeconds(90);
  private static final Duration EXIT_WAIT = Duration.ofMinutes(3);

  private final Process process;
  private final Path mountPoint;
  private final Path spool;
  private final Path log;

  private MountProcess(Process process, Path mountPoint, Path spool, Path log) {
    this.process = process;
    this.mountPoint = mountPoint;
    this.spool = spool;
    this.log = log;
  }

  /**
   * Mounts {@code collection} of {@code gateway} read-write on {@code mountPoint}, with the cache and the
   * spool under {@code work}; {@code extra} are more mount options. Returns once the kernel lists the mount.
   */
  static MountProcess start(LiveGateway gateway, String collection, Path mountPoint, Path work, String... extra)
      throws IOException, InterruptedException {
    return start(gateway, collection, mountPoint, work, work.resolve("spool"), extra);
  }

  /** As above, with the spool in {@code spool} (another mount's, to recover what it left). */
  static MountProcess start(LiveGateway gateway, String collection, Path mountPoint, Path work, Path spool,
      String... extra) throws IOException, InterruptedException {
    Files.createDirectories(work);
    List<String> args = new ArrayList<>(List.of("mount", "--read-write", "--collection", collection,
        gateway.uri().toString(), mountPoint.toString(), "--foreground",
        "--token-file", gateway.tokenFile().toString(),
        "--cache-dir", work.resolve("cache").toString(), "--cache-size", "256M",
        "--spool-dir", spool.toString()));
    args.addAll(List.of(extra));
    return startCommand(mountPoint, spool, work.resolve("mount.log"), args);
  }

  /**
   * {@code keepfs mount --read-write GATEWAY MOUNTPOINT} without {@code --collection}: the whole gateway,
   * every {@code collections/NAME} writable, their spools under {@code work/spools}.
   */
  static MountProcess startFull(LiveGateway gateway, Path mountPoint, Path work, String... extra)
      throws IOException, InterruptedException {
    Files.createDirectories(work);
    List<String> args = new ArrayList<>(List.of("mount", "--read-write", gateway.uri().toString(), mountPoint.toString(),
        "--foreground", "--token-file", gateway.tokenFile().toString(),
        "--cache-dir", work.resolve("cache").toString(), "--cache-size", "256M",
        "--collection-max-age", "0s", "--spool-dir", work.resolve("spools").toString()));
    args.addAll(List.of(extra));
    return startCommand(mountPoint, work.resolve("spools"), work.resolve("mount.log"), args);
  }

  /** Runs {@code keepfs ARGS...} (recover, unmount) as a separate process; its exit status and output. */
  static Finished runCommand(Path log, String... args) throws IOException, InterruptedException {
    Process p = launch(List.of(args), log);
    if (!p.waitFor(EXIT_WAIT.toSeconds(), TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      fail("keepfs " + String.join(" ", args) + " did not finish within " + EXIT_WAIT.toSeconds() + " s");
    }
    return new Finished(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  /** A command that ran to its end. */
  record Finished(int status, String output) {}

  /**
   * Starts {@code keepfs ARGS...} in a JVM of its own with the launcher's flags, its output in {@code log}.
   * Should the test JVM end before the test closes it, the process is killed rather than left running.
   */
  private static Process launch(List<String> args, Path log) throws IOException {
    List<String> command = new ArrayList<>(List.of(javaBinary(), "--enable-native-access=ALL-UNNAMED",
        "--sun-misc-unsafe-memory-access=allow", "@" + MOUNT_JVM_OPTIONS, "-cp", System.getProperty("java.class.path"),
        ClientCommandsMain.class.getName()));
    command.addAll(args);
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
    Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly, "keepfs-test-process-" + p.pid()));
    return p;
  }

  private static MountProcess startCommand(Path mountPoint, Path spool, Path log, List<String> args)
      throws IOException, InterruptedException {
    Process p = launch(args, log);
    MountProcess m = new MountProcess(p, mountPoint, spool, log);
    Instant deadline = Instant.now().plus(MOUNT_WAIT);
    while (MountTable.find(mountPoint).filter(MountInfo::isFuse).isEmpty()) {
      if (!p.isAlive()) {
        fail("keepfs mount exited with status " + p.exitValue() + " before " + mountPoint + " was mounted:\n" + m.log());
      }
      if (Instant.now().isAfter(deadline)) {
        m.close();
        fail(mountPoint + " was not mounted within " + MOUNT_WAIT.toSeconds() + " s:\n" + m.log());
      }
      Thread.sleep(50);
    }
    return m;
  }

  /** The launcher's JVM options for mounts (tests run in the client module's directory). */
  private static final Path MOUNT_JVM_OPTIONS = Path.of("").toAbsolutePath().resolveSibling("deploy/jvm/mount.options");

  static String javaBinary() {
    return ProcessHandle.current().info().command().orElseThrow();
  }

  long pid() {
    return process.pid();
  }

  Path root() {
    return mountPoint;
  }

  Path spool() {
    return spool;
  }

  /** Commits through {@code .arv/commit}: returns when the commit is done; throws (EIO) when it failed. */
  void commit() throws IOException {
    Files.writeString(mountPoint.resolve(".arv/commit"), "1\n", StandardCharsets.UTF_8, StandardOpenOption.WRITE);
  }

  /** {@code .arv/hash}: the PDH of the last commit. */
  String hash() throws IOException {
    return Files.readString(mountPoint.resolve(".arv/hash"), StandardCharsets.UTF_8).strip();
  }

  /** {@code .arv/dirty}. */
  boolean dirty() throws IOException {
    String d = Files.readString(mountPoint.resolve(".arv/dirty"), StandardCharsets.UTF_8);
    return switch (d) {
      case "1\n" -> true;
      case "0\n" -> false;
      default -> throw new AssertionError(".arv/dirty holds '" + d + "', not 0 or 1 and a newline");
    };
  }

  /** Peak resident set size of the mount process so far (VmHWM in /proc/PID/status), in bytes. */
  long peakRss() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
      if (line.startsWith("VmHWM:")) {
        String[] f = line.trim().split("\\s+");
        if (!f[2].equals("kB")) {
          throw new IOException("VmHWM in unexpected unit: " + line);
        }
        return Long.parseLong(f[1]) * 1024;
      }
    }
    throw new IOException("/proc/" + process.pid() + "/status has no VmHWM line");
  }

  /**
   * {@code keepfs unmount MOUNTPOINT} (which commits first), then waits for the mount process to end;
   * returns its exit status.
   */
  int unmount() throws IOException, InterruptedException {
    StringWriter out = new StringWriter();
    int status = new CommandLine(new UnmountCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(out))
        .execute(mountPoint.toString());
    if (status != 0) {
      fail("keepfs unmount " + mountPoint + " failed with " + status + ": " + out + "\nmount log:\n" + log());
    }
    return awaitExit();
  }

  /** Waits for the mount process to end by itself (after an unmount from outside); its exit status. */
  int awaitExit() throws IOException, InterruptedException {
    if (!process.waitFor(EXIT_WAIT.toSeconds(), TimeUnit.SECONDS)) {
      fail("keepfs mount did not exit within " + EXIT_WAIT.toSeconds() + " s after the unmount:\n" + log());
    }
    return process.exitValue();
  }

  /** SIGKILL, as a crash would end it: no commit, no clean unmount. Removes the dead mount afterwards. */
  void kill9() throws IOException, InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      fail("the mount process " + process.pid() + " survived SIGKILL for a minute");
    }
    removeMount();
  }

  private void removeMount() throws IOException {
    if (MountTable.find(mountPoint).isPresent()) {
      Unmounter.unmount(mountPoint, true);
    }
  }

  /** Waits until the mount's output contains {@code text}; fails after {@code wait}. */
  void awaitOutput(String text, Duration wait) throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(wait);
    while (!log().contains(text)) {
      if (Instant.now().isAfter(deadline)) {
        fail("the mount did not print '" + text + "' within " + wait.toSeconds() + " s:\n" + log());
      }
      Thread.sleep(50);
    }
  }

  /** What the mount process printed (standard output and error). */
  String log() throws IOException {
    return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "(no log)";
  }

  @Override
  public void close() throws IOException, InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(60, TimeUnit.SECONDS);
    }
    removeMount();
  }
}
