package org.keepfs.gateway.server;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An append-only access log file, one line per request. {@link #reopen} closes and reopens the path, so
 * log rotation can move the file away and then signal the gateway (SIGHUP or SIGUSR1).
 *
 * <p>Lines are written by a thread of the log's own, in batches with one flush each, so a request
 * thread only queues its line: a write and flush per request on Jetty's I/O thread held up every other
 * connection of that thread. The queue is bounded; when it is full (the disk cannot keep up) a request
 * thread waits for room rather than dropping lines. Reopen and close take effect in order with the
 * lines queued before them.
 */
public final class AccessLog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AccessLog.class);
  /** Lines that may wait to be written; about 10 MB of typical lines. */
  private static final int QUEUE_LINES = 64 * 1024;
  /** Lines written per flush at most. */
  private static final int BATCH_LINES = 4096;

  /** What the writer thread is asked to do, in order. */
  private sealed interface Entry {}

  private record Line(String text) implements Entry {}

  private record Reopen(CompletableFuture<Void> done) implements Entry {}

  private record Close(CompletableFuture<Void> done) implements Entry {}

  private final Path path;
  private final BlockingQueue<Entry> queue = new ArrayBlockingQueue<>(QUEUE_LINES);
  private volatile boolean closed;
  /** Touched by the writer thread only, after the constructor. */
  private BufferedWriter out;

  public AccessLog(Path path) throws IOException {
    this.path = path;
    this.out = open(path);
    Thread.ofPlatform().daemon().name("access-log").start(this::writeLoop);
  }

  private static BufferedWriter open(Path path) throws IOException {
    return Files.newBufferedWriter(path, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND, StandardOpenOption.WRITE);
  }

  public Path path() {
    return path;
  }

  /** Queues one line (without its newline); it reaches the file shortly after, in order. */
  public void write(String line) {
    enqueue(new Line(line));
  }

  /** Closes the current file and opens {@link #path} again (creating it if it was moved away). */
  public synchronized void reopen() throws IOException {
    if (closed) {
      throw new IOException("the access log " + path + " is closed");
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    enqueue(new Reopen(done));
    await(done);
  }

  /** Writes every queued line, then closes the file; later lines are dropped with a warning. */
  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    CompletableFuture<Void> done = new CompletableFuture<>();
    enqueue(new Close(done));
    await(done);
  }

  private void enqueue(Entry e) {
    if (closed && e instanceof Line) {
      LOG.warn("access log {} is closed; not logged: {}", path, e);
      return;
    }
    try {
      queue.put(e);
    } catch (InterruptedException x) {
      Thread.currentThread().interrupt();
      LOG.warn("access log {}: interrupted while queueing {}", path, e);
    }
  }

  private static void await(CompletableFuture<Void> done) throws IOException {
    try {
      done.get();
    } catch (InterruptedException x) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for the access log", x);
    } catch (ExecutionException x) {
      throw x.getCause() instanceof IOException io ? io : new IOException(x.getCause());
    }
  }

  private void writeLoop() {
    List<Entry> batch = new ArrayList<>(BATCH_LINES);
    while (true) {
      try {
        batch.add(queue.take());
      } catch (InterruptedException x) {
        continue;
      }
      queue.drainTo(batch, BATCH_LINES - 1);
      for (Entry e : batch) {
        switch (e) {
          case Line l -> append(l.text());
          case Reopen r -> complete(r.done(), () -> {
            flush();
            BufferedWriter fresh = open(path);
            out.close();
            out = fresh;
          });
          case Close c -> {
            complete(c.done(), () -> {
              flush();
              out.close();
            });
            return;
          }
        }
      }
      batch.clear();
      flush();
    }
  }

  private interface Action {
    void run() throws IOException;
  }

  private static void complete(CompletableFuture<Void> done, Action action) {
    try {
      action.run();
      done.complete(null);
    } catch (IOException | RuntimeException e) {
      done.completeExceptionally(e);
    }
  }

  private void append(String line) {
    try {
      out.write(line);
      out.write('\n');
    } catch (IOException e) {
      LOG.warn("cannot write the access log {}: {}", path, e.getMessage());
    }
  }

  private void flush() {
    try {
      out.flush();
    } catch (IOException e) {
      LOG.warn("cannot write the access log {}: {}", path, e.getMessage());
    }
  }
}
