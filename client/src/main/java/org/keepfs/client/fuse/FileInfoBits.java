package org.keepfs.client.fuse;

import jnr.ffi.Pointer;
import jnr.ffi.Struct;
import org.keepfs.client.fs.PageCache;
import ru.serce.jnrfuse.struct.FuseFileInfo;

/**
 * Sets {@code direct_io} and {@code keep_cache} in libfuse 2's {@code struct fuse_file_info}.
 *
 * <p>jnr-fuse models these bit-fields as padding, so they are written here as raw bits: in the C
 * struct ({@code int flags; unsigned long fh_old; int writepage; unsigned direct_io:1,
 * keep_cache:1, ...; uint64_t fh;}) the bit-field word sits 4 bytes before {@code fh}, and on a
 * little-endian ABI {@code direct_io} is bit 0 and {@code keep_cache} bit 1.
 */
final class FileInfoBits {
  private static final int DIRECT_IO = 1;
  private static final int KEEP_CACHE = 1 << 1;
  private static final long FH_OFFSET = 24;
  private static final long BITS_OFFSET = FH_OFFSET - 4;

  private FileInfoBits() {}

  static void apply(FuseFileInfo fi, PageCache pageCache) {
    int bit = switch (pageCache) {
      case KEEP -> KEEP_CACHE;
      case BYPASS -> DIRECT_IO;
      case DROP -> 0;
    };
    if (bit == 0) {
      return;
    }
    Pointer memory = Struct.getMemory(fi);
    memory.putInt(BITS_OFFSET, memory.getInt(BITS_OFFSET) | bit);
  }

  /** Reads the bits back (for tests). */
  static PageCache read(FuseFileInfo fi) {
    int bits = Struct.getMemory(fi).getInt(BITS_OFFSET);
    if ((bits & DIRECT_IO) != 0) {
      return PageCache.BYPASS;
    }
    return (bits & KEEP_CACHE) != 0 ? PageCache.KEEP : PageCache.DROP;
  }

  /** True when this platform's struct has the layout the offsets above assume. */
  static boolean layoutMatches() {
    FuseFileInfo probe = FuseFileInfo.of(jnr.ffi.Memory.allocate(jnr.ffi.Runtime.getSystemRuntime(), 64));
    return probe.fh.offset() == FH_OFFSET && Struct.size(probe) == 40 && java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN;
  }
}
