package org.keepfs.gateway.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.keepfs.fs123.Attributes;
import org.keepfs.fs123.StatfsReply;
import org.keepfs.posix.Errno;
import org.keepfs.posix.ErrnoException;

/**
 * Linux x86-64/aarch64 system calls over file descriptors. Every method either succeeds or throws an
 * {@link ErrnoException} with the kernel's errno and a message naming the call and the path.
 */
public final class LinuxFiles {
  public static final int O_RDONLY = 0;
  public static final int O_NONBLOCK = 04000;
  public static final int O_NOCTTY = 0400;
  public static final int O_DIRECTORY = 0200000;
  public static final int O_NOFOLLOW = 0400000;
  public static final int O_CLOEXEC = 02000000;
  public static final int O_PATH = 010000000;

  private static final long RESOLVE_NO_MAGICLINKS = 0x02;
  private static final long RESOLVE_NO_SYMLINKS = 0x04;
  private static final long RESOLVE_BENEATH = 0x08;
  private static final long AT_FDCWD = -100;
  private static final int EINTR = 4;
  private static final int AT_SYMLINK_NOFOLLOW = 0x100;
  private static final int AT_EMPTY_PATH = 0x1000;
  private static final int STATX_BASIC_STATS = 0x7ff;
  private static final int STATX_BTIME = 0x800;
  /** _IOR('v', 1, long). */
  private static final long FS_IOC_GETVERSION = 0x80087601L;

  private static final Linker LINKER = Linker.nativeLinker();
  private static final SymbolLookup LIBC = LINKER.defaultLookup();
  private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO =
      CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
  private static final Linker.Option SAVE_ERRNO = Linker.Option.captureCallState("errno");

  private static final long SYS_GETDENTS64 = isAarch64() ? 61 : 217;
  private static final long SYS_OPENAT2 = 437;

  private static final MethodHandle SYSCALL_OPENAT2 = handle("syscall",
      FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG),
      Linker.Option.firstVariadicArg(1), SAVE_ERRNO);
  private static final MethodHandle SYSCALL_GETDENTS64 = handle("syscall",
      FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG),
      Linker.Option.firstVariadicArg(1), SAVE_ERRNO);
  private static final MethodHandle STATX = handle("statx",
      FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS), SAVE_ERRNO);
  private static final MethodHandle CLOSE = handle("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
  private static final MethodHandle IOCTL = handle("ioctl",
      FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), Linker.Option.firstVariadicArg(2), SAVE_ERRNO);
  private static final MethodHandle PREAD = handle("pread",
      FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG), SAVE_ERRNO);
  private static final MethodHandle SYNC_FILE_RANGE = handle("sync_file_range",
      FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT));
  private static final int SYNC_FILE_RANGE_WRITE = 2;
  private static final MethodHandle READLINKAT = handle("readlinkat",
      FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG), SAVE_ERRNO);
  private static final MethodHandle FSTATVFS = handle("fstatvfs",
      FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS), SAVE_ERRNO);
  private static final MethodHandle FGETXATTR = handle("fgetxattr",
      FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG), SAVE_ERRNO);
  private static final MethodHandle FLISTXATTR = handle("flistxattr",
      FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), SAVE_ERRNO);

  /** An empty C string, for the {@code AT_EMPTY_PATH} calls; never freed. */
  private static final MemorySegment EMPTY_PATH = Arena.global().allocateFrom("");

  private LinuxFiles() {}

  /**
   * One native block per call, cut into the pieces the call needs: every allocation from a confined
   * arena is a malloc, and these calls sit on the per-request path.
   */
  private static SegmentAllocator scratch(Arena arena, long bytes) {
    return SegmentAllocator.slicingAllocator(arena.allocate(bytes, 16));
  }

  /**
   * Opens {@code relPath} below the directory {@code dirFd}, refusing to resolve any symlink on the way
   * (including the last component unless {@code O_PATH | O_NOFOLLOW} is asked for, which opens the link
   * itself) and refusing to leave {@code dirFd} ({@code RESOLVE_BENEATH}).
   */
  public static int openBeneath(int dirFd, String relPath, int flags) throws ErrnoException {
    return openat2(dirFd, relPath, flags | O_CLOEXEC, RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
  }

  /** Opens an absolute path the ordinary way (symlinks followed); used for export roots at startup. */
  public static int openDirectory(String absolutePath) throws ErrnoException {
    return openat2((int) AT_FDCWD, absolutePath, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
  }

  /** Opens an absolute path for reading the ordinary way; the descriptor is the caller's to close. */
  public static int openForReading(String absolutePath) throws ErrnoException {
    return openat2((int) AT_FDCWD, absolutePath, O_RDONLY | O_CLOEXEC, 0);
  }

  /**
   * Starts writing the dirty pages of a byte range of a file to disk and returns without waiting for
   * them ({@code sync_file_range(SYNC_FILE_RANGE_WRITE)}), so that a later fsync finds most of the work
   * done. Only a hint: it makes nothing durable, and false means the kernel declined it.
   */
  public static boolean startWriteBack(int fd, long offset, long length) {
    try {
      return (int) SYNC_FILE_RANGE.invokeExact(fd, offset, length, SYNC_FILE_RANGE_WRITE) == 0;
    } catch (Throwable t) {
      throw new IllegalStateException("sync_file_range failed to run", t);
    }
  }

  /**
   * Opens for reading the very inode an {@code O_PATH} descriptor refers to, through its
   * {@code /proc/self/fd} link, so the check made on the {@code O_PATH} descriptor still holds.
   */
  public static int reopenForReading(int pathFd, String pathForErrors) throws ErrnoException {
    try {
      return openat2((int) AT_FDCWD, "/proc/self/fd/" + pathFd, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0);
    } catch (ErrnoException e) {
      throw new ErrnoException(e.errno(), "open " + pathForErrors + ": " + e.getMessage());
    }
  }

  private static int openat2(int dirFd, String path, int flags, long resolve) throws ErrnoException {
    try (Arena arena = Arena.ofConfined()) {
      SegmentAllocator a = scratch(arena, 64 + 3L * path.length() + 1);
      MemorySegment how = a.allocate(24, 8);
      how.set(JAVA_LONG, 0, flags & 0xffffffffL);
      how.set(JAVA_LONG, 8, 0);
      how.set(JAVA_LONG, 16, resolve);
      MemorySegment state = a.allocate(CAPTURE);
      long fd = (long) SYSCALL_OPENAT2.invokeExact(state, SYS_OPENAT2, (long) dirFd, a.allocateFrom(path), how, 24L);
      if (fd < 0) {
        throw error(state, "open", path);
      }
      return (int) fd;
    } catch (ErrnoException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("openat2 failed to run", t);
    }
  }

  public static void close(int fd) {
    try {
      int unused = (int) CLOSE.invokeExact(fd);
    } catch (Throwable t) {
      throw new IllegalStateException("close failed to run", t);
    }
  }

  /** {@code statx(fd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW)}: the stat of what {@code fd} refers to. */
  public static Statx statx(int fd, String pathForErrors) throws ErrnoException {
    try (Arena arena = Arena.ofConfined()) {
      SegmentAllocator a = scratch(arena, 256 + 64);
      MemorySegment buf = a.allocate(256, 8);
      MemorySegment state = a.allocate(CAPTURE);
      int rc = (int) STATX.invokeExact(state, fd, EMPTY_PATH, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW,
          STATX_BASIC_STATS | STATX_BTIME, buf);
      if (rc != 0) {
        throw error(state, "stat", pathForErrors);
      }
      return decodeStatx(buf);
    } catch (ErrnoException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("statx failed to run", t);
    }
  }

  /**
   * {@code statx(dirFd, name, AT_SYMLINK_NOFOLLOW)}: the stat of one entry of the directory {@code dirFd},
   * a symlink reported as itself. One system call where an open, a stat and a close would be three. Only a
   * single path component is accepted: with no directory to walk through, no symlink can be followed and
   * nothing outside {@code dirFd} can be reached ({@code "."} and {@code ".."} are refused for the same reason).
   *
   * @throws IllegalArgumentException if {@code name} is empty, {@code "."}, {@code ".."} or contains a {@code '/'}
   */
  public static Statx statxEntry(int dirFd, String name, String pathForErrors) throws ErrnoException {
    if (name.isEmpty() || name.indexOf('/') >= 0 || name.equals(".") || name.equals("..")) {
      throw new IllegalArgumentException("not a single directory entry name: '" + name + "'");
    }
    try (Arena arena = Arena.ofConfined()) {
      SegmentAllocator a = scratch(arena, 256 + 64 + 3L * name.length() + 1);
      MemorySegment buf = a.allocate(256, 8);
      MemorySegment state = a.allocate(CAPTURE);
      int rc = (int) STATX.invokeExact(state, dirFd, a.allocateFrom(name), AT_SYMLINK_NOFOLLOW,
          STATX_BASIC_STATS | STATX_BTIME, buf);
      if (rc != 0) {
        throw error(state, "stat", pathForErrors);
      }
      return decodeStatx(buf);
    } catch (ErrnoException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("statx failed to run", t);
    }
  }

  private static Statx decodeStatx(MemorySegment b) {
    int mask = b.get(JAVA_INT, 0);
    long blksize = Integer.toUnsignedLong(b.get(JAVA_INT, 4));
    long nlink = Integer.toUnsignedLong(b.get(JAVA_INT, 16));
    long uid = Integer.toUnsignedLong(b.get(JAVA_INT, 20));
    long gid = Integer.toUnsignedLong(b.get(JAVA_INT, 24));
    long mode = Short.toUnsignedLong(b.get(JAVA_SHORT, 28));
    long ino = b.get(JAVA_LONG, 32);
    long size = b.get(JAVA_LONG, 40);
    long blocks = b.get(JAVA_LONG, 48);
    long atime = b.get(JAVA_LONG, 64);
    long atimeNsec = Integer.toUnsignedLong(b.get(JAVA_INT, 72));
    long btime = b.get(JAVA_LONG, 80);
    long btimeNsec = Integer.toUnsignedLong(b.get(JAVA_INT, 88));
    long ctime = b.get(JAVA_LONG, 96);
    long ctimeNsec = Integer.toUnsignedLong(b.get(JAVA_INT, 104));
    long mtime = b.get(JAVA_LONG, 112);
    long mtimeNsec = Integer.toUnsignedLong(b.get(JAVA_INT, 120));
    long rdev = makedev(b.get(JAVA_INT, 128), b.get(JAVA_INT, 132));
    long dev = makedev(b.get(JAVA_INT, 136), b.get(JAVA_INT, 140));
    Attributes a = new Attributes(mode, nlink, uid, gid, size, mtime, ctime, atime, ino, mtimeNsec, ctimeNsec,
        atimeNsec, dev, blocks, blksize, rdev);
    long birth = (mask & STATX_BTIME) != 0 ? btime * 1_000_000_000L + btimeNsec : -1;
    return new Statx(a, birth);
  }

  /** glibc's {@code makedev}: how {@code st_dev} and {@code st_rdev} are packed. */
  static long makedev(int major, int minor) {
    long ma = Integer.toUnsignedLong(major);
    long mi = Integer.toUnsignedLong(minor);
    return ((ma & 0x00000fffL) << 8) | ((ma & 0xfffff000L) << 32) | (mi & 0x000000ffL) | ((mi & 0xffffff00L) << 12);
  }

  /** The inode generation ({@code FS_IOC_GETVERSION}) of a file opened for reading. */
  public static long inodeGeneration(int fd, String pathForErrors) throws ErrnoException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment out = arena.allocate(JAVA_LONG);
      MemorySegment state = arena.allocate(CAPTURE);
      int rc = (int) IOCTL.invokeExact(state, fd, FS_IOC_GETVERSION, out);
      if (rc != 0) {
        throw error(state, "FS_IOC_GETVERSION", pathForErrors);
      }
      // The kernel writes an int (despite the long in the ioctl number); read the low 32 bits.
      return Integer.toUnsignedLong(out.get(JAVA_INT, 0));
    } catch (ErrnoException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("ioctl failed to run", t);
    }
  }

  /**
   * Reads from byte {@code offset} of a file opened for reading into {@code into}, from its position to
   * its limit, stopping early only at end of file; advances the position by the bytes read and returns
   * their count. A direct buffer is read into in place (no copy through a Java array, no channel object);
   * a heap buffer goes through a native scratch block.
   */
  public static int pread(int fd, ByteBuffer into, long offset, String pathForErrors) throws ErrnoException {
    if (offset < 0) {
      throw new ErrnoException(Errno.EINVAL, "read " + pathForErrors + ": negative offset " + offset);
    }
    int wanted = into.remaining();
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(CAPTURE);
      MemorySegment target = into.isDirect() ? MemorySegment.ofBuffer(into) : arena.allocate(Math.max(wanted, 1));
      long done = 0;
      while (done < wanted) {
        long n = (long) PREAD.invokeExact(state, fd, target.asSlice(done), wanted - done, offset + done);
        if (n < 0) {
          if ((int) ERRNO.get(state, 0L) == EINTR) {
            continue;
          }
          throw error(state, "read", pathForErrors);
        }
        if (n == 0) {
          break;
        }
        done += n;
      }
      if (!into.isDirect()) {
        into.put(into.position(), target.asSlice(0, done).toArray(JAVA_BYTE));
      }
      into.position(into.position() + (int) done);
      return (int) done;
    } catch (ErrnoException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("pread failed to run", t);
    }
  }

  /** The target of the symlink an {@code O_PATH | O_NOFOLLOW} descriptor refers to, as raw bytes. */
  public static byte[] readlink(int fd, String pathForErrors) throws ErrnoException {
    try (Arena arena = Arena.ofConfined()) {
      int cap = 4096;
      MemorySegment buf = arena.allocate(cap + 1);
      MemorySegment state = arena.allocate(CAPTURE);
      long n = (long) READLINKAT.invokeExact(state, fd, EMPTY_PATH, buf, (long) cap + 1);
      if (n < 0) {
        throw error(state, "readlink", pathForErrors);
      }
      if (n > cap) {
        throw new ErrnoException(Errno.ENAMETOOLONG, "readlink " + pathForErrors + ": target longer than " + cap);
      }
      return buf.asSlice(0, n).toArray(JAVA_BYTE);
    } catch (ErrnoException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("readlinkat failed to run", t);
    }
  }

  public static StatfsReply statvfs(int fd, String pathForErrors) throws ErrnoException {
    try (Arena arena = Arena.ofConfined()) {
      // struct statvfs on 64-bit Linux: eleven 8-byte fields, then 6 spare ints.
      MemorySegment b = arena.allocate(112, 8);
      MemorySegment state = arena.allocate(CAPTURE);
      int rc = (int) FSTATVFS.invokeExact(state, fd, b);
      if (rc != 0) {
        throw error(state, "statvfs", pathForErrors);
      }
      long[] f = new long[11];
      for (int i = 0; i < 11; i++) {
        f[i] = b.get(JAVA_LONG, i * 8L);
      }
      return new StatfsReply(f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9], f[10]);
    } catch (ErrnoException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("fstatvfs failed to run", t);
    }
  }

  /** An entry as {@code getdents64} reports it. */
  public record RawDirEntry(String name, int dType, long ino) {}

  /** Every entry of an open directory, {@code .} and {@code ..} included, in the filesystem's order. */
  public static List<RawDirEntry> readDirectory(int dirFd, String pathForErrors) throws ErrnoException {
    List<RawDirEntry> out = new ArrayList<>();
    try (Arena arena = Arena.ofConfined()) {
      int cap = 64 * 1024;
      MemorySegment buf = arena.allocate(cap, 8);
      MemorySegment state = arena.allocate(CAPTURE);
      while (true) {
        long n = (long) SYSCALL_GETDENTS64.invokeExact(state, SYS_GETDENTS64, (long) dirFd, buf, (long) cap);
        if (n < 0) {
          throw error(state, "readdir", pathForErrors);
        }
        if (n == 0) {
          return out;
        }
        long pos = 0;
        while (pos < n) {
          long ino = buf.get(JAVA_LONG, pos);
          int reclen = Short.toUnsignedInt(buf.get(JAVA_SHORT, pos + 16));
          int type = Byte.toUnsignedInt(buf.get(JAVA_BYTE, pos + 18));
          MemorySegment nameSeg = buf.asSlice(pos + 19, reclen - 19);
          out.add(new RawDirEntry(nameSeg.getString(0, StandardCharsets.UTF_8), type, ino));
          pos += reclen;
        }
      }
    } catch (ErrnoException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("getdents64 failed to run", t);
    }
  }

  /** The value of an extended attribute of a file opened for reading. */
  public static byte[] getxattr(int fd, String name, String pathForErrors) throws ErrnoException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(CAPTURE);
      MemorySegment cname = arena.allocateFrom(name);
      for (int attempt = 0; ; attempt++) {
        long size = (long) FGETXATTR.invokeExact(state, fd, cname, MemorySegment.NULL, 0L);
        if (size < 0) {
          throw error(state, "getxattr " + name, pathForErrors);
        }
        MemorySegment buf = arena.allocate(Math.max(size, 1));
        long n = (long) FGETXATTR.invokeExact(state, fd, cname, buf, size);
        if (n >= 0) {
          return buf.asSlice(0, n).toArray(JAVA_BYTE);
        }
        int errno = (int) ERRNO.get(state, 0L);
        if (errno != Errno.ERANGE || attempt > 3) {
          throw error(state, "getxattr " + name, pathForErrors);
        }
      }
    } catch (ErrnoException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("fgetxattr failed to run", t);
    }
  }

  /** The NUL-terminated names of a file's extended attributes, as the kernel lists them. */
  public static byte[] listxattr(int fd, String pathForErrors) throws ErrnoException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(CAPTURE);
      for (int attempt = 0; ; attempt++) {
        long size = (long) FLISTXATTR.invokeExact(state, fd, MemorySegment.NULL, 0L);
        if (size < 0) {
          throw error(state, "listxattr", pathForErrors);
        }
        MemorySegment buf = arena.allocate(Math.max(size, 1));
        long n = (long) FLISTXATTR.invokeExact(state, fd, buf, size);
        if (n >= 0) {
          return buf.asSlice(0, n).toArray(JAVA_BYTE);
        }
        int errno = (int) ERRNO.get(state, 0L);
        if (errno != Errno.ERANGE || attempt > 3) {
          throw error(state, "listxattr", pathForErrors);
        }
      }
    } catch (ErrnoException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("flistxattr failed to run", t);
    }
  }

  private static ErrnoException error(MemorySegment state, String call, String path) {
    int errno = (int) ERRNO.get(state, 0L);
    return new ErrnoException(errno == 0 ? Errno.EIO : errno, call + " " + path + ": errno " + errno);
  }

  private static MethodHandle handle(String name, FunctionDescriptor fd, Linker.Option... options) {
    MemorySegment symbol = LIBC.find(name)
        .orElseThrow(() -> new UnsatisfiedLinkError("the C library has no " + name + "()"));
    return LINKER.downcallHandle(symbol, fd, options);
  }

  private static boolean isAarch64() {
    return "aarch64".equals(System.getProperty("os.arch"));
  }
}
