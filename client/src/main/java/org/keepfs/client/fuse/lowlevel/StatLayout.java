package org.keepfs.client.fuse.lowlevel;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;
import java.time.Instant;
import org.keepfs.client.fs.NodeAttributes;

/**
 * glibc's {@code struct stat} on the two 64-bit Linux ABIs keepfs runs on. x86-64 keeps the
 * historical order ({@code st_nlink} as 64 bits before {@code st_mode}, 144 bytes); arm64 uses the
 * generic layout ({@code st_mode} first, a 32-bit {@code st_nlink}, 128 bytes). Both put
 * {@code st_size}, {@code st_blocks} and the three timespecs at the same offsets.
 */
enum StatLayout {
  X86_64(144, 16, 64, 24, 28, 32, 56, 64),
  AARCH64(128, 20, 32, 16, 24, 28, 56, 32);

  private static final long INO = 8;
  private static final long SIZE = 48;
  private static final long BLOCKS = 64;
  private static final long ATIME = 72;
  private static final long MTIME = 88;
  private static final long CTIME = 104;
  private static final long NANOS = 8;

  final long size;
  private final long nlink;
  private final int nlinkBits;
  private final long mode;
  private final long uid;
  private final long gid;
  private final long blksize;
  private final int blksizeBits;

  StatLayout(long size, long nlink, int nlinkBits, long mode, long uid, long gid, long blksize, int blksizeBits) {
    this.size = size;
    this.nlink = nlink;
    this.nlinkBits = nlinkBits;
    this.mode = mode;
    this.uid = uid;
    this.gid = gid;
    this.blksize = blksize;
    this.blksizeBits = blksizeBits;
  }

  /** The layout of this JVM's platform; other platforms are refused with the reason. */
  static StatLayout current() {
    String arch = System.getProperty("os.arch");
    return switch (arch) {
      case "amd64", "x86_64" -> X86_64;
      case "aarch64", "arm64" -> AARCH64;
      default -> throw new UnsupportedOperationException("the low-level FUSE binding knows struct stat only on x86-64 and arm64, not " + arch);
    };
  }

  /** Writes {@code a} into the struct at {@code s}, clearing what it does not set. */
  void write(MemorySegment s, NodeAttributes a, int blockSize) {
    s.asSlice(0, size).fill((byte) 0);
    s.set(JAVA_LONG, INO, a.ino());
    if (nlinkBits == 64) {
      s.set(JAVA_LONG, nlink, a.nlink());
    } else {
      s.set(JAVA_INT, nlink, (int) Math.min(a.nlink(), 0xffffffffL));
    }
    s.set(JAVA_INT, mode, a.mode());
    s.set(JAVA_INT, uid, a.uid());
    s.set(JAVA_INT, gid, a.gid());
    s.set(JAVA_LONG, SIZE, a.size());
    if (blksizeBits == 64) {
      s.set(JAVA_LONG, blksize, blockSize);
    } else {
      s.set(JAVA_INT, blksize, blockSize);
    }
    s.set(JAVA_LONG, BLOCKS, a.blocks());
    writeTime(s, ATIME, a.atime());
    writeTime(s, MTIME, a.mtime());
    writeTime(s, CTIME, a.ctime());
  }

  /** Only the inode number and type bits, as a plain directory listing carries them. */
  void writeIdentity(MemorySegment s, long ino, int modeBits) {
    s.asSlice(0, size).fill((byte) 0);
    s.set(JAVA_LONG, INO, ino);
    s.set(JAVA_INT, mode, modeBits);
  }

  int mode(MemorySegment s) {
    return s.get(JAVA_INT, mode);
  }

  int uid(MemorySegment s) {
    return s.get(JAVA_INT, uid);
  }

  int gid(MemorySegment s) {
    return s.get(JAVA_INT, gid);
  }

  long fileSize(MemorySegment s) {
    return s.get(JAVA_LONG, SIZE);
  }

  Instant atime(MemorySegment s) {
    return readTime(s, ATIME);
  }

  Instant mtime(MemorySegment s) {
    return readTime(s, MTIME);
  }

  private static void writeTime(MemorySegment s, long offset, Instant t) {
    s.set(JAVA_LONG, offset, t.getEpochSecond());
    s.set(JAVA_LONG, offset + NANOS, t.getNano());
  }

  private static Instant readTime(MemorySegment s, long offset) {
    long nanos = s.get(JAVA_LONG, offset + NANOS);
    return Instant.ofEpochSecond(s.get(JAVA_LONG, offset), Math.floorMod(nanos, 1_000_000_000L));
  }
}
