package org.keepfs.client.fuse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.keepfs.client.fs.FileSystem;
import org.keepfs.client.fuse.lowlevel.LowLevelFrontEnd;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One mounted filesystem. {@link #mount} runs libfuse's loop on a thread of its own and returns once
 * the kernel lists the mount in {@code /proc/self/mountinfo}; {@link #close} unmounts (lazily only if
 * a clean unmount fails), waits for the loop to end and releases handles the kernel left open.
 */
public final class FuseMount implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FuseMount.class);
  private static final Duration LOOP_END_TIMEOUT = Duration.ofSeconds(30);

  private final Path mountPoint;
  private final FrontEnd frontEnd;
  private final CompletableFuture<Integer> loop;
  private boolean closed;

  private FuseMount(Path mountPoint, FrontEnd frontEnd) {
    this.mountPoint = mountPoint;
    this.frontEnd = frontEnd;
    this.loop = frontEnd.loop();
  }

  /**
   * Mounts {@code fs} on {@code mountPoint}, an existing empty directory, and waits up to
   * {@code timeout} for the kernel to show it.
   *
   * @throws FuseUnavailableException when /dev/fuse, the libfuse of {@link MountOptions#api()} or
   *     fusermount is missing (the message says what to install)
   */
  public static FuseMount mount(FileSystem fs, Path mountPoint, MountOptions options, Duration timeout) throws IOException {
    FusePrerequisites.require(options.api());
    Path mp = MountTable.canonical(mountPoint);
    checkMountPoint(mp);
    FrontEnd frontEnd = switch (options.api()) {
      case HIGH_LEVEL -> HighLevelFrontEnd.start(fs, mp, options);
      case LOW_LEVEL -> LowLevelFrontEnd.start(fs, mp, options);
    };
    CompletableFuture<Integer> loop = frontEnd.loop();
    FuseMount mount = new FuseMount(mp, frontEnd);
    Instant deadline = Instant.now().plus(timeout);
    while (MountTable.find(mp).filter(MountInfo::isFuse).isEmpty()) {
      if (loop.isDone()) {
        frontEnd.markUnmounted();
        throw new IOException("mounting " + mp + " failed: " + loopResult(loop)
            + " (libfuse printed the reason on standard error)");
      }
      if (Instant.now().isAfter(deadline)) {
        mount.close();
        throw new IOException("the kernel did not list " + mp + " as mounted within " + timeout.toMillis() + " ms");
      }
      Polling.pause();
    }
    LOG.info("mounted {} on {} ({} API, {})", options.fsName(), mp, options.api(), options);
    return mount;
  }

  public Path mountPoint() {
    return mountPoint;
  }

  /** The binding serving this mount (for tests and statistics). */
  public FrontEnd frontEnd() {
    return frontEnd;
  }

  /** Open handles right now (for tests and statistics). */
  public int openFileCount() {
    return frontEnd.openFileCount();
  }

  /** True while libfuse's loop still serves requests (after a lazy unmount: until the last user leaves). */
  public boolean isServing() {
    return !loop.isDone();
  }

  /**
   * Blocks until libfuse's loop ends: the mount was removed, by {@link #close} or from outside
   * ({@code keepfs unmount}, {@code fusermount -u}). For a process whose only job is the mount.
   */
  public void awaitUnmounted() throws InterruptedException {
    try {
      loop.get();
    } catch (ExecutionException e) {
      LOG.info("the FUSE loop of {} ended with {}", mountPoint, e.getCause().toString());
    }
  }

  /**
   * Unmounts. Safe to call twice; the second call does nothing. After a clean unmount it waits for
   * the loop to end and releases handles the kernel left open. When the mount is busy it is
   * detached lazily: programs still inside keep being served until they leave, so the loop is left
   * running and their handles are not released under them.
   */
  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    Unmounter.Outcome outcome = Unmounter.Outcome.CLEAN;
    if (MountTable.find(mountPoint).filter(MountInfo::isFuse).isPresent()) {
      outcome = Unmounter.unmount(mountPoint, true);
    }
    frontEnd.markUnmounted();
    if (outcome == Unmounter.Outcome.LAZY) {
      LOG.warn("{} was busy: detached lazily; it is served until the last program using it leaves", mountPoint);
      return;
    }
    awaitLoopEnd();
    frontEnd.releaseLeftovers();
  }

  private void awaitLoopEnd() throws IOException {
    try {
      loop.get(LOOP_END_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new IOException("the FUSE loop of " + mountPoint + " did not end within " + LOOP_END_TIMEOUT.toSeconds() + " s of the unmount");
    } catch (ExecutionException e) {
      LOG.info("the FUSE loop of {} ended with {}", mountPoint, e.getCause().toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for the FUSE loop of " + mountPoint + " to end");
    }
  }

  private static String loopResult(CompletableFuture<Integer> loop) {
    try {
      return "the FUSE loop returned " + loop.getNow(null);
    } catch (RuntimeException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      return cause.getCause() != null ? cause + " / " + cause.getCause() : cause.toString();
    }
  }

  private static void checkMountPoint(Path mp) throws IOException {
    if (!Files.isDirectory(mp)) {
      throw new IOException("mount point " + mp + " is not an existing directory: create it first (mkdir -p " + mp + ")");
    }
    if (MountTable.find(mp).isPresent()) {
      throw new IOException("something is already mounted on " + mp + ": unmount it first (keepfs unmount " + mp + ")");
    }
    try (var entries = Files.list(mp)) {
      if (entries.findAny().isPresent()) {
        throw new IOException("mount point " + mp + " is not empty: mounting would hide its files; use an empty directory");
      }
    }
  }
}
