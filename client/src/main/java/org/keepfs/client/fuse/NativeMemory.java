package org.keepfs.client.fuse;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import jnr.ffi.Pointer;

/**
 * Views the buffers FUSE hands us as {@link ByteBuffer}s over the same native memory, so a read
 * fills the kernel's buffer directly (from a file channel: page cache to FUSE buffer, no Java heap
 * copy) and a write is consumed without an intermediate array.
 */
final class NativeMemory {
  private NativeMemory() {}

  static ByteBuffer view(Pointer buf, long size) {
    if (size < 0 || size > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("FUSE buffer size " + size + " is out of range");
    }
    return MemorySegment.ofAddress(buf.address()).reinterpret(size).asByteBuffer();
  }
}
