package org.keepfs.client.fuse.lowlevel;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.keepfs.client.fs.FileSystem;
import org.keepfs.client.fuse.FrontEnd;
import org.keepfs.client.fuse.MountInfo;
import org.keepfs.client.fuse.MountOptions;
import org.keepfs.client.fuse.MountTable;
import org.keepfs.client.fuse.Unmounter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A libfuse 3 low-level session serving one mount: {@code fuse_session_new} with
 * {@link Operations}' table, {@code fuse_session_mount}, then the multi-threaded loop on a thread
 * of its own. When the loop ends (the mount was removed), the same thread unmounts what is left,
 * destroys the session and frees the upcall stubs, in that order, so no upcall can reach freed code.
 *
 * <p>libfuse's signal handlers are not installed: the JVM owns the signals. A JVM that exits
 * (normally or on SIGTERM/SIGINT) without closing the mount runs a shutdown hook that unmounts it,
 * so no dead mount ("Transport endpoint is not connected") is left behind.
 */
public final class LowLevelFrontEnd implements FrontEnd {
  private static final Logger LOG = LoggerFactory.getLogger(LowLevelFrontEnd.class);

  private final Path mountPoint;
  private final LowLevelAdapter adapter;
  private final Arena arena;
  private final CompletableFuture<Integer> loop = new CompletableFuture<>();
  /** Guards {@link #session} against teardown while a notification uses it. */
  private final ReentrantReadWriteLock sessionLock = new ReentrantReadWriteLock();
  private MemorySegment session;
  private final Thread exitHook;
  private final Invalidations invalidations = new Invalidations(this::withSession);
  private volatile boolean unmounted;

  private LowLevelFrontEnd(Path mountPoint, LowLevelAdapter adapter, Arena arena, MemorySegment session) {
    this.mountPoint = mountPoint;
    this.adapter = adapter;
    this.arena = arena;
    this.session = session;
    this.exitHook = new Thread(this::unmountAtExit, "keepfs-fuse-exit " + mountPoint);
  }

  /** Mounts {@code fs} on {@code mountPoint} (checked by the caller) and starts serving it. */
  public static LowLevelFrontEnd start(FileSystem fs, Path mountPoint, MountOptions options) throws IOException {
    LibFuse3.requireLoaded();
    Arena arena = Arena.ofShared();
    MemorySegment session = MemorySegment.NULL;
    try {
      LowLevelAdapter adapter = new LowLevelAdapter(fs);
      // At the first request, not once mounted: INIT, which the loop answers, sets the read-ahead back to
      // 128 KiB when the kernel gets its reply, so a raise before that is lost.
      adapter.afterInit(() -> ReadAhead.raise(mountPoint, LowLevelAdapter.MAX_REQUEST_BYTES));
      MemorySegment ops = Operations.build(adapter, arena);
      List<String> argv = arguments(options);
      session = newSession(Structs.fuseArgs(arena, argv), ops, arena);
      if (LibFuse3.isNull(session)) {
        throw new IOException("libfuse refused the options " + String.join(" ", argv) + " (it printed the reason on standard error)");
      }
      int mounted = (int) LibFuse3.SESSION_MOUNT.invokeExact(session, arena.allocateFrom(mountPoint.toString()));
      if (mounted != 0) {
        throw new IOException("fuse_session_mount of " + mountPoint + " failed (libfuse printed the reason on standard error)");
      }
      LowLevelFrontEnd frontEnd = new LowLevelFrontEnd(mountPoint, adapter, arena, session);
      fs.attachKernelCache(frontEnd.invalidations);
      Thread thread = new Thread(frontEnd::serve, "fuse-loop " + mountPoint);
      thread.setDaemon(true);
      thread.start();
      Runtime.getRuntime().addShutdownHook(frontEnd.exitHook);
      return frontEnd;
    } catch (IOException | RuntimeException | Error e) {
      destroyQuietly(session);
      arena.close();
      throw e;
    } catch (Throwable t) {
      destroyQuietly(session);
      arena.close();
      throw new IOException("starting the FUSE session on " + mountPoint + " failed: " + t, t);
    }
  }

  /** libfuse's command line: mount options only; lifetimes come with each reply, not from here. */
  static List<String> arguments(MountOptions options) {
    List<String> o = new ArrayList<>();
    o.add("fsname=" + options.fsName());
    o.add("subtype=" + options.subtype());
    // The kernel checks permission bits, so the filesystem need not implement access().
    o.add("default_permissions");
    if (options.readOnly()) {
      o.add("ro");
    }
    if (options.allowOther()) {
      o.add("allow_other");
    }
    return List.of("keepfs", "-o", String.join(",", o));
  }

  private static MemorySegment newSession(MemorySegment args, MemorySegment ops, Arena arena) throws Throwable {
    if (LibFuse3.SESSION_NEW_317 != null) {
      MemorySegment version = Structs.libfuseVersion(arena, LibFuse3.ABI_VERSION);
      return (MemorySegment) LibFuse3.SESSION_NEW_317.invokeExact(args, ops, Operations.SIZE, version, MemorySegment.NULL);
    }
    return (MemorySegment) LibFuse3.SESSION_NEW.invokeExact(args, ops, Operations.SIZE, MemorySegment.NULL);
  }

  private void serve() {
    int result = -1;
    try {
      result = runLoop(session);
    } catch (Throwable t) {
      LOG.warn("the FUSE loop of {} failed: {}", mountPoint, t.toString());
    } finally {
      invalidations.shutdown();
      sessionLock.writeLock().lock();
      try {
        // After an unmount from outside the device reports an error and this skips the umount.
        LibFuse3.SESSION_UNMOUNT.invokeExact(session);
        destroyQuietly(session);
        session = null;
        arena.close();
      } catch (Throwable t) {
        LOG.warn("tearing down the FUSE session of {} failed: {}", mountPoint, t.toString());
      } finally {
        sessionLock.writeLock().unlock();
      }
      try {
        Runtime.getRuntime().removeShutdownHook(exitHook);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running or about to: it finds the mount gone.
      }
    }
    loop.complete(result);
  }

  /** Runs a notification against the live session; after teardown it is dropped. */
  private void withSession(java.util.function.Function<MemorySegment, Integer> call, java.util.function.Supplier<String> what) {
    sessionLock.readLock().lock();
    try {
      if (session != null) {
        Invalidations.log(call.apply(session), what.get());
      }
    } finally {
      sessionLock.readLock().unlock();
    }
  }

  private static int runLoop(MemorySegment session) throws Throwable {
    if (LibFuse3.SESSION_LOOP_MT_312 != null && LibFuse3.LOOP_CFG_CREATE != null) {
      MemorySegment config = (MemorySegment) LibFuse3.LOOP_CFG_CREATE.invokeExact();
      try {
        return (int) LibFuse3.SESSION_LOOP_MT_312.invokeExact(session, config);
      } finally {
        LibFuse3.LOOP_CFG_DESTROY.invokeExact(config);
      }
    }
    if (LibFuse3.SESSION_LOOP_MT_31 != null) {
      return (int) LibFuse3.SESSION_LOOP_MT_31.invokeExact(session, 0);
    }
    LOG.warn("libfuse has no multi-threaded loop: serving one request at a time");
    return (int) LibFuse3.SESSION_LOOP.invokeExact(session);
  }

  private static void destroyQuietly(MemorySegment session) {
    if (session == null || LibFuse3.isNull(session)) {
      return;
    }
    try {
      LibFuse3.SESSION_DESTROY.invokeExact(session);
    } catch (Throwable t) {
      LOG.warn("fuse_session_destroy failed: {}", t.toString());
    }
  }

  private void unmountAtExit() {
    if (unmounted || loop.isDone()) {
      return;
    }
    try {
      if (MountTable.find(mountPoint).filter(MountInfo::isFuse).isPresent()) {
        Unmounter.unmount(mountPoint, true);
      }
    } catch (IOException e) {
      System.err.println("keepfs: unmounting " + mountPoint + " at exit failed: " + e.getMessage());
    }
  }

  @Override
  public CompletableFuture<Integer> loop() {
    return loop;
  }

  @Override
  public int openFileCount() {
    return adapter.openFiles.size();
  }

  @Override
  public void markUnmounted() {
    unmounted = true;
  }

  @Override
  public void releaseLeftovers() throws IOException {
    adapter.openFiles.releaseAll();
  }

  /** How many inodes the kernel holds through lookups now (they drop as it sends FORGET). */
  public int inodesHeldByKernel() {
    return adapter.lookups.size();
  }

  /** The kernel's lookup count of {@code ino} as this session has counted it. */
  public long lookupCount(long ino) {
    return adapter.lookups.count(ino);
  }
}
