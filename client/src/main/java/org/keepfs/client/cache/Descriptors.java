package org.keepfs.client.cache;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;

/**
 * Cache files opened through the C library, so their descriptor numbers can be handed to native code
 * (a FUSE front end that splices a cached piece to the kernel without copying it). A {@code FileChannel}
 * keeps its descriptor to itself; a channel for the same open file comes from {@code /proc/self/fd/N}.
 * Where the C library cannot be reached (no native access), {@link #AVAILABLE} is false and callers
 * open files the plain way.
 */
final class Descriptors {
  private static final int O_RDONLY = 0;
  private static final int O_CLOEXEC = 0x80000;
  private static final int ENOENT = 2;
  private static final MethodHandle OPEN;
  private static final MethodHandle CLOSE;
  private static final VarHandle ERRNO;
  private static final long ERRNO_BYTES;
  static final boolean AVAILABLE;

  static {
    MethodHandle open = null;
    MethodHandle close = null;
    VarHandle errno = null;
    long errnoBytes = 0;
    try {
      Linker linker = Linker.nativeLinker();
      Linker.Option captured = Linker.Option.captureCallState("errno");
      java.lang.foreign.StructLayout state = Linker.Option.captureStateLayout();
      errno = state.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
      errnoBytes = state.byteSize();
      open = linker.downcallHandle(linker.defaultLookup().findOrThrow("open"),
          FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), captured, Linker.Option.firstVariadicArg(2));
      close = linker.downcallHandle(linker.defaultLookup().findOrThrow("close"), FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    } catch (RuntimeException | LinkageError e) {
      open = null;
    }
    OPEN = open;
    CLOSE = close;
    ERRNO = errno;
    ERRNO_BYTES = errnoBytes;
    AVAILABLE = open != null && Path.of("/proc/self/fd").toFile().isDirectory();
  }

  private Descriptors() {}

  /** Opens {@code file} read-only; its descriptor number, or -1 when there is no such file (a cache miss, no exception). */
  static int openReadOnly(Path file) throws IOException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(ERRNO_BYTES);
      int fd = (int) OPEN.invokeExact(state, arena.allocateFrom(file.toString()), O_RDONLY | O_CLOEXEC, 0);
      if (fd < 0) {
        int errno = (int) ERRNO.get(state, 0L);
        if (errno == ENOENT) {
          return -1;
        }
        throw new IOException("open " + file + ": errno " + errno);
      }
      return fd;
    } catch (IOException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new AssertionError("open(2) downcall failed: " + t, t);
    }
  }

  /** The name under which this process can open the file behind {@code fd} again, even unlinked. */
  static Path procPath(int fd) {
    return Path.of("/proc/self/fd/" + fd);
  }

  static void close(int fd) {
    try {
      int ignored = (int) CLOSE.invokeExact(fd);
    } catch (Throwable t) {
      throw new AssertionError("close(2) downcall failed: " + t, t);
    }
  }
}
