package org.keepfs.client.fuse.lowlevel;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.List;
import org.keepfs.client.fs.FsStats;
import org.keepfs.client.fs.NodeAttributes;
import org.keepfs.client.fs.PageCache;

/**
 * The libfuse 3 and glibc structs this binding reads and writes, as offsets on a 64-bit Linux ABI
 * (from libfuse 3.14's {@code fuse_common.h}/{@code fuse_lowlevel.h}; later releases kept these
 * offsets and only appended fields). {@code struct stat} is {@link StatLayout}'s.
 */
final class Structs {
  private Structs() {}

  /** {@code struct fuse_file_info}: {@code int flags; unsigned bits; unsigned padding2; uint64_t fh; ...}. */
  static final class FileInfo {
    static final long SIZE = 64;
    private static final long FLAGS = 0;
    private static final long BITS = 4;
    private static final long FH = 16;
    /** Bit-fields in declaration order from bit 0 (little-endian): writepage, direct_io, keep_cache, ... */
    private static final int DIRECT_IO = 1 << 1;
    private static final int KEEP_CACHE = 1 << 2;

    private FileInfo() {}

    static MemorySegment of(MemorySegment pointer) {
      return pointer.reinterpret(SIZE);
    }

    static int flags(MemorySegment fi) {
      return fi.get(JAVA_INT, FLAGS);
    }

    static long fh(MemorySegment fi) {
      return fi.get(JAVA_LONG, FH);
    }

    static void setFh(MemorySegment fi, long fh) {
      fi.set(JAVA_LONG, FH, fh);
    }

    static void setPageCache(MemorySegment fi, PageCache pageCache) {
      int bits = fi.get(JAVA_INT, BITS) & ~(DIRECT_IO | KEEP_CACHE);
      bits |= switch (pageCache) {
        case KEEP -> KEEP_CACHE;
        case BYPASS -> DIRECT_IO;
        case DROP -> 0;
      };
      fi.set(JAVA_INT, BITS, bits);
    }

    static PageCache pageCache(MemorySegment fi) {
      int bits = fi.get(JAVA_INT, BITS);
      return (bits & DIRECT_IO) != 0 ? PageCache.BYPASS : (bits & KEEP_CACHE) != 0 ? PageCache.KEEP : PageCache.DROP;
    }
  }

  /**
   * {@code struct fuse_bufvec} holding one {@code struct fuse_buf}: {@code size_t count, idx, off;}
   * then the buffer's {@code size_t size; enum flags; void *mem; int fd; off_t pos;} (3.17 appended a
   * {@code size_t mem_size}, which stays zero here).
   */
  static final class BufVec {
    static final long SIZE = 24 + 48;
    private static final long COUNT = 0;
    private static final long IDX = 8;
    private static final long OFF = 16;
    private static final long BUF_SIZE = 24;
    private static final long BUF_FLAGS = 32;
    private static final long BUF_MEM = 40;
    private static final long BUF_FD = 48;
    private static final long BUF_POS = 56;
    private static final long BUF_MEM_SIZE = 64;
    /** {@code FUSE_BUF_IS_FD | FUSE_BUF_FD_SEEK}: the buffer is {@code size} bytes of {@code fd} at {@code pos}. */
    private static final int FD_AT_POSITION = (1 << 1) | (1 << 2);

    private BufVec() {}

    /** Describes {@code size} bytes of the open file {@code fd} at {@code position}. */
    static void writeFile(MemorySegment v, int fd, long position, long size) {
      v.set(JAVA_LONG, COUNT, 1);
      v.set(JAVA_LONG, IDX, 0);
      v.set(JAVA_LONG, OFF, 0);
      v.set(JAVA_LONG, BUF_SIZE, size);
      v.set(JAVA_INT, BUF_FLAGS, FD_AT_POSITION);
      v.set(ADDRESS, BUF_MEM, MemorySegment.NULL);
      v.set(JAVA_INT, BUF_FD, fd);
      v.set(JAVA_LONG, BUF_POS, position);
      v.set(JAVA_LONG, BUF_MEM_SIZE, 0);
    }
  }

  /** {@code struct fuse_conn_info}: unsigned proto_major, proto_minor, max_write, max_read, max_readahead, capable, want, ... */
  static final class ConnInfo {
    private static final long MAX_WRITE = 8;
    private static final long CAPABLE = 20;
    private static final long WANT = 24;
    private static final long TIME_GRAN = 36;
    static final long SIZE = 128;

    static final int CAP_ASYNC_READ = 1;
    static final int CAP_ATOMIC_O_TRUNC = 1 << 3;
    static final int CAP_SPLICE_WRITE = 1 << 7;
    static final int CAP_SPLICE_MOVE = 1 << 8;
    static final int CAP_SPLICE_READ = 1 << 9;
    static final int CAP_READDIRPLUS = 1 << 13;
    static final int CAP_READDIRPLUS_AUTO = 1 << 14;
    static final int CAP_PARALLEL_DIROPS = 1 << 18;

    private ConnInfo() {}

    static MemorySegment of(MemorySegment pointer) {
      return pointer.reinterpret(SIZE);
    }

    static int capable(MemorySegment conn) {
      return conn.get(JAVA_INT, CAPABLE);
    }

    static int want(MemorySegment conn) {
      return conn.get(JAVA_INT, WANT);
    }

    static void setWant(MemorySegment conn, int want) {
      conn.set(JAVA_INT, WANT, want);
    }

    static void setMaxWrite(MemorySegment conn, int bytes) {
      conn.set(JAVA_INT, MAX_WRITE, bytes);
    }

    static void setTimeGranularity(MemorySegment conn, int nanos) {
      conn.set(JAVA_INT, TIME_GRAN, nanos);
    }
  }

  /** {@code struct fuse_entry_param}: ino, generation, struct stat attr, double attr_timeout, entry_timeout. */
  static final class EntryParam {
    private static final long INO = 0;
    private static final long ATTR = 16;

    private EntryParam() {}

    static long size(StatLayout stat) {
      return ATTR + stat.size + 16;
    }

    static MemorySegment attr(MemorySegment e, StatLayout stat) {
      return e.asSlice(ATTR, stat.size);
    }

    /** A positive entry: the kernel counts one lookup of {@code a.ino()}. */
    static void write(MemorySegment e, StatLayout stat, NodeAttributes a, int blockSize, Duration entryTimeout, Duration attrTimeout) {
      e.set(JAVA_LONG, INO, a.ino());
      e.set(JAVA_LONG, 8, 0);
      stat.write(e.asSlice(ATTR, stat.size), a, blockSize);
      e.set(JAVA_DOUBLE, ATTR + stat.size, seconds(attrTimeout));
      e.set(JAVA_DOUBLE, ATTR + stat.size + 8, seconds(entryTimeout));
    }

    /**
     * An entry without a node: in a lookup reply a cached negative dentry for {@code timeout}; in a
     * readdirplus listing a name the kernel will look up itself (no lookup is counted).
     */
    static void writeNone(MemorySegment e, StatLayout stat, long listedIno, int modeBits, Duration timeout) {
      e.set(JAVA_LONG, INO, 0);
      e.set(JAVA_LONG, 8, 0);
      stat.writeIdentity(e.asSlice(ATTR, stat.size), listedIno, modeBits);
      e.set(JAVA_DOUBLE, ATTR + stat.size, 0);
      e.set(JAVA_DOUBLE, ATTR + stat.size + 8, seconds(timeout));
    }
  }

  /** glibc's {@code struct statvfs} on 64-bit Linux: eleven unsigned longs, then six spare ints. */
  static final class Statvfs {
    static final long SIZE = 112;

    private Statvfs() {}

    static void write(MemorySegment s, FsStats f) {
      s.asSlice(0, SIZE).fill((byte) 0);
      s.set(JAVA_LONG, 0, f.blockSize());
      s.set(JAVA_LONG, 8, f.blockSize());
      s.set(JAVA_LONG, 16, f.totalBlocks());
      s.set(JAVA_LONG, 24, f.freeBlocks());
      s.set(JAVA_LONG, 32, f.availableBlocks());
      s.set(JAVA_LONG, 40, f.totalFiles());
      s.set(JAVA_LONG, 48, f.freeFiles());
      s.set(JAVA_LONG, 56, f.freeFiles());
      s.set(JAVA_LONG, 80, f.maxNameLength());
    }
  }

  /** {@code struct fuse_forget_data}: uint64_t ino, nlookup. */
  static final class ForgetData {
    static final long SIZE = 16;

    private ForgetData() {}

    static long ino(MemorySegment array, long index) {
      return array.get(JAVA_LONG, index * SIZE);
    }

    static long nlookup(MemorySegment array, long index) {
      return array.get(JAVA_LONG, index * SIZE + 8);
    }
  }

  /** {@code struct fuse_args}: int argc; char **argv; int allocated. */
  static MemorySegment fuseArgs(Arena arena, List<String> argv) {
    MemorySegment array = arena.allocate(ADDRESS, argv.size() + 1);
    for (int i = 0; i < argv.size(); i++) {
      array.setAtIndex(ADDRESS, i, arena.allocateFrom(argv.get(i)));
    }
    MemorySegment args = arena.allocate(24, 8);
    args.set(JAVA_INT, 0, argv.size());
    args.set(ADDRESS, 8, array);
    args.set(JAVA_INT, 16, 0);
    return args;
  }

  /** {@code struct libfuse_version} (3.17+): unsigned major, minor, hotfix, padding. */
  static MemorySegment libfuseVersion(Arena arena, int[] version) {
    MemorySegment v = arena.allocate(16, 4);
    for (int i = 0; i < 3; i++) {
      v.set(JAVA_INT, 4L * i, version[i]);
    }
    return v;
  }

  static double seconds(Duration d) {
    return d.getSeconds() + d.getNano() / 1e9;
  }
}
