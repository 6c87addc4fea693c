package org.keepfs.proxy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A caching proxy process started by a test: its port, its log, and a {@link #close} that stops it (and
 * the helpers it forked) by PID, waiting for them to exit.
 */
final class ProxyProcess implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);

  private final String name;
  private final Process process;
  private final int port;
  private final Path log;

  private ProxyProcess(String name, Process process, int port, Path log) {
    this.name = name;
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * Runs {@code command} (in the foreground, logging to {@code log}) and waits until it accepts
   * connections on {@code port}; a process that exits first is an {@link IOException} quoting its log.
   */
  static ProxyProcess start(String name, List<String> command, int port, Path workDir, Path log) throws IOException {
    Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    ProxyProcess started = new ProxyProcess(name, p, port, log);
    // Should the test JVM be stopped before its @AfterAll runs, the proxy goes with it, not orphaned.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }, name + "-stop"));
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (true) {
      if (!p.isAlive()) {
        throw new IOException(name + " exited with status " + p.exitValue() + " before listening on port " + port
            + ":\n" + started.logText());
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return started;
      } catch (IOException notYet) {
        if (System.nanoTime() > deadline) {
          started.close();
          throw new IOException(name + " did not listen on port " + port + " within " + START_TIMEOUT
              + ":\n" + started.logText());
        }
        sleep(50);
      }
    }
  }

  /** A port that was free a moment ago (the proxies cannot be told to pick one and report it). */
  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  int port() {
    return port;
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + port);
  }

  String logText() {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "(no log)";
    } catch (IOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }

  @Override
  public String toString() {
    return name + " pid " + process.pid() + " on port " + port;
  }

  /** Whether the proxy or any helper it forked is still running. */
  boolean isAlive() {
    return process.isAlive() || process.descendants().anyMatch(ProcessHandle::isAlive);
  }

  /**
   * SIGKILL to the process and every helper it forked (Varnish's cache process serves on its own), by
   * PID, waiting until all have exited: a proxy crash in the middle of a reader's work.
   */
  void kill() throws IOException {
    List<ProcessHandle> all = new java.util.ArrayList<>(process.descendants().toList());
    all.add(process.toHandle());
    all.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle h : all) {
      try {
        h.onExit().get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IOException(name + " process " + h.pid() + " did not exit after SIGKILL", e);
      }
    }
  }

  /** SIGTERM to the process, then to any helper it forked that outlives it; SIGKILL after a timeout. */
  @Override
  public void close() {
    List<ProcessHandle> helpers = process.descendants().toList();
    process.destroy();
    try {
      if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      }
      for (ProcessHandle h : helpers) {
        if (h.isAlive()) {
          h.destroy();
          h.onExit().get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
      }
    } catch (Exception e) {
      process.destroyForcibly();
      helpers.forEach(ProcessHandle::destroyForcibly);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a proxy to start", e);
    }
  }
}
