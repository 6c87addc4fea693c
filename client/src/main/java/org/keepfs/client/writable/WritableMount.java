package org.keepfs.client.writable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.keepfs.client.collection.BlockFetcher;
import org.keepfs.client.write.commit.CollectionWriter;
import org.keepfs.client.write.commit.Committer;
import org.keepfs.client.write.commit.WriterSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One collection open for writing behind a mount: the spool lock, the {@link CollectionWriter} (which
 * recovers what the spool holds from an earlier run), the {@link WritableFileSystem} over it and the
 * idle-commit timer. {@link #close} stops the timer and the uploads; it does not commit (the caller
 * decides when: see {@link MountedCollection}).
 */
public final class WritableMount implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WritableMount.class);
  /** How often the idle trigger looks at the tree: often enough for short idle periods, cheap otherwise. */
  private static final Duration IDLE_CHECK = Duration.ofMillis(500);

  /**
   * How the mount writes.
   *
   * @param writer the writer's settings (gateway, token, collection, spool, memory limit)
   * @param commitIdle commit after this long without changes; empty: no idle commits
   * @param commitOnFsync an fsync also commits
   */
  public record Settings(WriterSettings writer, Optional<Duration> commitIdle, boolean commitOnFsync) {
    public Settings {
      Objects.requireNonNull(writer, "writer");
      Objects.requireNonNull(commitIdle, "commitIdle");
      if (commitIdle.isPresent() && (commitIdle.get().isNegative() || commitIdle.get().isZero())) {
        throw new IllegalArgumentException("--commit-idle must be positive, got " + commitIdle.get().toSeconds() + " s");
      }
    }
  }

  private final Settings settings;
  private final SpoolLock lock;
  private final CollectionWriter writer;
  private final WritableFileSystem fs;
  private final ScheduledExecutorService timer;

  private WritableMount(Settings settings, SpoolLock lock, CollectionWriter writer, WritableFileSystem fs,
      ScheduledExecutorService timer) {
    this.settings = settings;
    this.lock = lock;
    this.writer = writer;
    this.fs = fs;
    this.timer = timer;
  }

  /**
   * Opens the collection (creating nothing yet: the first commit creates a missing collection),
   * recovering the spool when an earlier run left one. Stored blocks are read through {@code blocks}
   * when given (the mount's block cache).
   */
  public static WritableMount open(Settings settings, Optional<BlockFetcher> blocks) throws IOException {
    WriterSettings w = settings.writer();
    SpoolLock lock = SpoolLock.acquire(w.spoolDir());
    try {
      SpoolLock.writeOwner(w.spoolDir(), new SpoolLock.Owner(w.gateway(), w.collection()));
      CollectionWriter writer = CollectionWriter.open(w, blocks.map(CachedBlockReader::new));
      int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
      int gid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:gid");
      WritableFileSystem fs = new WritableFileSystem(writer.tree(), Commits.of(writer), settings.commitOnFsync(), uid, gid);
      ScheduledExecutorService timer = null;
      if (settings.commitIdle().isPresent()) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
          Thread t = new Thread(r, "keepfs-idle-commit");
          t.setDaemon(true);
          return t;
        });
        Duration idle = settings.commitIdle().get();
        timer.scheduleWithFixedDelay(() -> commitIfIdle(writer, idle), IDLE_CHECK.toMillis(), IDLE_CHECK.toMillis(),
            TimeUnit.MILLISECONDS);
      }
      return new WritableMount(settings, lock, writer, fs, timer);
    } catch (IOException | RuntimeException e) {
      lock.close();
      throw e;
    }
  }

  private static void commitIfIdle(CollectionWriter writer, Duration idle) {
    try {
      writer.commitIfIdle(idle).ifPresent(r -> LOG.info("idle commit of '{}': {}", writer.settings().collection(), r.pdh()));
    } catch (IOException | RuntimeException e) {
      // CollectionWriter logged the failure loudly; the next tick tries again.
      LOG.debug("idle commit failed", e);
    }
  }

  public WritableFileSystem fileSystem() {
    return fs;
  }

  public CollectionWriter writer() {
    return writer;
  }

  public Settings settings() {
    return settings;
  }

  /** Commits when there are changes; returns what the commit did, or empty when there was nothing to commit. */
  public Optional<Committer.Result> commitIfDirty() throws IOException {
    return writer.dirty() ? Optional.of(writer.commit()) : Optional.empty();
  }

  /** Stops the idle timer and the uploads, and frees the spool for the next mount; does not commit. */
  @Override
  public void close() throws IOException {
    try {
      if (timer != null) {
        timer.shutdown();
        try {
          timer.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      writer.close();
    } finally {
      lock.close();
    }
  }
}
