package org.keepfs.client.fuse.lowlevel;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * Native memory one request thread reuses for the structs and buffers of its replies, so the
 * request path allocates nothing native. libfuse's workers are native threads that live as long as
 * the loop; each gets its own scratch through a thread-local, freed by the GC when the thread ends.
 */
final class Scratch {
  private static final int NAME_BYTES = 4096;

  private final Arena arena = Arena.ofAuto();
  final MemorySegment entry;
  final MemorySegment stat;
  final MemorySegment statvfs;
  final MemorySegment fileInfo;
  final MemorySegment bufvec;
  private final MemorySegment name;
  private MemorySegment data;

  Scratch(StatLayout layout) {
    entry = arena.allocate(Structs.EntryParam.size(layout), 8);
    stat = arena.allocate(layout.size, 8);
    statvfs = arena.allocate(Structs.Statvfs.SIZE, 8);
    fileInfo = arena.allocate(Structs.FileInfo.SIZE, 8);
    bufvec = arena.allocate(Structs.BufVec.SIZE, 8);
    name = arena.allocate(NAME_BYTES + 1);
    data = arena.allocate(LowLevelAdapter.MAX_REQUEST_BYTES, 4096);
  }

  /** A buffer of at least {@code size} bytes, valid until the next call on this thread. */
  MemorySegment data(long size) {
    if (data.byteSize() < size) {
      data = arena.allocate(size, 4096);
    }
    return data;
  }

  /** {@code s} as a NUL-terminated UTF-8 string, valid until the next call on this thread. */
  MemorySegment cString(String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    MemorySegment target = bytes.length <= NAME_BYTES ? name : arena.allocate(bytes.length + 1L);
    MemorySegment.copy(bytes, 0, target, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, bytes.length);
    target.set(java.lang.foreign.ValueLayout.JAVA_BYTE, bytes.length, (byte) 0);
    return target;
  }
}
