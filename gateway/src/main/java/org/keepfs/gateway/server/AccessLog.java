package org.keepfs.gateway.server;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An append-only access log file, one line per request. {@link #reopen} closes and reopens the path, so
 * log rotation can move the file away and then signal the gateway (SIGHUP or SIGUSR1).
 */
public final class AccessLog implements AutoCloseable {
  private final Path path;
  private final ReentrantLock lock = new ReentrantLock();
  private BufferedWriter out;

  public AccessLog(Path path) throws IOException {
    this.path = path;
    this.out = open(path);
  }

  private static BufferedWriter open(Path path) throws IOException {
    return Files.newBufferedWriter(path, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND, StandardOpenOption.WRITE);
  }

  public Path path() {
    return path;
  }

  public void write(String line) {
    lock.lock();
    try {
      out.write(line);
      out.write('\n');
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the access log " + path, e);
    } finally {
      lock.unlock();
    }
  }

  /** Closes the current file and opens {@link #path} again (creating it if it was moved away). */
  public void reopen() throws IOException {
    lock.lock();
    try {
      BufferedWriter fresh = open(path);
      out.close();
      out = fresh;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() throws IOException {
    lock.lock();
    try {
      out.close();
    } finally {
      lock.unlock();
    }
  }
}
