package org.keepfs.client.fuse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import jnr.ffi.Pointer;
import jnr.ffi.Struct;
import org.keepfs.client.fs.Created;
import org.keepfs.client.fs.DirEntry;
import org.keepfs.client.fs.Entry;
import org.keepfs.client.fs.FileSystem;
import org.keepfs.client.fs.FsStats;
import org.keepfs.client.fs.Lookup;
import org.keepfs.client.fs.OpenFile;
import org.keepfs.client.fs.OpenFlags;
import org.keepfs.client.fs.PageCache;
import org.keepfs.posix.Errno;
import org.keepfs.posix.ErrnoException;
import ru.serce.jnrfuse.FuseFillDir;
import ru.serce.jnrfuse.FuseStubFS;
import ru.serce.jnrfuse.struct.FileStat;
import ru.serce.jnrfuse.struct.FuseFileInfo;
import ru.serce.jnrfuse.struct.Statvfs;
import ru.serce.jnrfuse.struct.Timespec;

/**
 * Translates libfuse 2 high-level callbacks (jnr-fuse) to {@link FileSystem}: resolve the path,
 * delegate, map the result. No exception reaches native code; errors become negative errnos through
 * {@link Errno#of} ({@link ErrorReplies}).
 *
 * <p><b>Cache lifetimes.</b> The high-level path API has no per-reply entry or attribute timeout,
 * so the {@link Entry#entryTimeout()}/{@link Entry#attrTimeout()} a filesystem returns cannot be
 * passed on here: the mount uses the mount-wide {@code entry_timeout}, {@code attr_timeout} and
 * {@code negative_timeout} options of {@link MountOptions} instead. The per-open page-cache choice
 * ({@link OpenFile#pageCache()}) does reach the kernel, as {@code keep_cache} or {@code direct_io}.
 *
 * <p><b>Unlinking an open file.</b> libfuse 2 (without {@code hard_remove}) renames it to
 * {@code .fuse_hidden<n>} and unlinks that name at the last release, so the filesystem sees a rename
 * and a later unlink, and the hidden name is visible in listings meanwhile. {@code hard_remove} would
 * avoid the name but makes {@code fstat} on the open file fail (the kernel sends no handle with a stat, and
 * libfuse's path lookup for the inode fails), which
 * breaks programs such as SQLite's temporary files; a writable tree must skip such names when it
 * commits.
 *
 * <p><b>Handles.</b> An open file lives in an {@link OpenFileTable}; {@code fi->fh} carries its
 * number, and an unknown number answers EBADF.
 */
public final class FuseAdapter extends FuseStubFS {
  /** "." and ".." take listing offsets 1 and 2; the filesystem's offsets follow, shifted by this. */
  private static final long DOT_ENTRIES = 2;

  private final FileSystem fs;
  private final PathResolver resolver;
  private final OpenFileTable openFiles = new OpenFileTable();
  private final boolean fileInfoBitsUsable = FileInfoBits.layoutMatches();

  public FuseAdapter(FileSystem fs) {
    this.fs = fs;
    this.resolver = new PathResolver(fs);
  }

  /** How many files are open through this adapter now. */
  public int openFileCount() {
    return openFiles.size();
  }

  /** Marks the mount gone so jnr-fuse's shutdown hook does not unmount a path someone else mounted since. */
  void markUnmounted() {
    mounted.set(false);
  }

  /** Releases handles the kernel never released (called after the unmount). */
  void releaseLeftovers() throws IOException {
    openFiles.releaseAll();
  }

  @Override
  public int getattr(String path, FileStat stat) {
    try {
      Lookup found = resolver.resolve(path);
      if (found instanceof Entry entry) {
        StatFields.fill(stat, entry.attributes());
        return 0;
      }
      return -Errno.ENOENT;
    } catch (Throwable e) {
      return ErrorReplies.reply("getattr", path, e);
    }
  }

  @Override
  public int fgetattr(String path, FileStat stat, FuseFileInfo fi) {
    try {
      StatFields.fill(stat, handle(fi).getattr().attributes());
      return 0;
    } catch (Throwable e) {
      return ErrorReplies.reply("fgetattr", path, e);
    }
  }

  @Override
  public int readlink(String path, Pointer buf, long size) {
    try {
      byte[] target = fs.readlink(resolver.require(path).ino()).getBytes(StandardCharsets.UTF_8);
      // readlink(2) through FUSE wants a NUL-terminated string, cut to the buffer.
      int n = (int) Math.min(target.length, size - 1);
      buf.put(0, target, 0, n);
      buf.putByte(n, (byte) 0);
      return 0;
    } catch (Throwable e) {
      return ErrorReplies.reply("readlink", path, e);
    }
  }

  @Override
  public int mkdir(String path, long mode) {
    try {
      fs.mkdir(resolver.parentOf(path), PathResolver.nameOf(path), (int) mode & 07777);
      return 0;
    } catch (Throwable e) {
      return ErrorReplies.reply("mkdir", path, e);
    }
  }

  @Override
  public int unlink(String path) {
    try {
      fs.unlink(resolver.parentOf(path), PathResolver.nameOf(path));
      return 0;
    } catch (Throwable e) {
      return ErrorReplies.reply("unlink", path, e);
    }
  }

  @Override
  public int rmdir(String path) {
    try {
      fs.rmdir(resolver.parentOf(path), PathResolver.nameOf(path));
      return 0;
    } catch (Throwable e) {
      return ErrorReplies.reply("rmdir", path, e);
    }
  }

  @Override
  public int symlink(String target, String linkPath) {
    try {
      fs.symlink(resolver.parentOf(linkPath), PathResolver.nameOf(linkPath), target);
      return 0;
    } catch (Throwable e) {
      return ErrorReplies.reply("symlink", linkPath, e);
    }
  }

  @Override
  public int rename(String oldPath, String newPath) {
    try {
      fs.rename(resolver.parentOf(oldPath), PathResolver.nameOf(oldPath), resolver.parentOf(newPath), PathResolver.nameOf(newPath));
      return 0;
    } catch (Throwable e) {
      return ErrorReplies.reply("rename", oldPath + " -> " + newPath, e);
    }
  }

  @Override
  public int chmod(String path, long mode) {
    try {
      fs.chmod(resolver.require(path).ino(), (int) mode & 07777);
      return 0;
    } catch (Throwable e) {
      return ErrorReplies.reply("chmod", path, e);
    }
  }

  @Override
  public int chown(String path, long uid, long gid) {
    try {
      fs.chown(resolver.require(path).ino(), ownerId(uid), ownerId(gid));
      return 0;
    } catch (Throwable e) {
      return ErrorReplies.reply("chown", path, e);
    }
  }

  /** chown(2) passes -1 (as an unsigned 32-bit id) for "leave unchanged". */
  private static java.util.OptionalInt ownerId(long id) {
    return (int) id == -1 ? java.util.OptionalInt.empty() : java.util.OptionalInt.of((int) id);
  }

  @Override
  public int truncate(String path, long size) {
    try {
      fs.truncate(resolver.require(path).ino(), size);
      return 0;
    } catch (Throwable e) {
      return ErrorReplies.reply("truncate", path, e);
    }
  }

  @Override
  public int ftruncate(String path, long size, FuseFileInfo fi) {
    try {
      handle(fi).truncate(size);
      return 0;
    } catch (Throwable e) {
      return ErrorReplies.reply("ftruncate", path, e);
    }
  }

  @Override
  public int utimens(String path, Timespec[] times) {
    try {
      fs.setTimes(resolver.require(path).ino(), StatFields.instant(times[0]), StatFields.instant(times[1]));
      return 0;
    } catch (Throwable e) {
      return ErrorReplies.reply("utimens", path, e);
    }
  }

  @Override
  public int open(String path, FuseFileInfo fi) {
    try {
      OpenFlags flags = LinuxOpenFlags.decode(fi.flags.get());
      OpenFile file = fs.open(resolver.require(path).ino(), flags);
      register(file, fi, flags);
      return 0;
    } catch (Throwable e) {
      return ErrorReplies.reply("open", path, e);
    }
  }

  @Override
  public int create(String path, long mode, FuseFileInfo fi) {
    try {
      OpenFlags flags = LinuxOpenFlags.decode(fi.flags.get());
      Created created = fs.create(resolver.parentOf(path), PathResolver.nameOf(path), (int) mode & 07777, flags);
      register(created.file(), fi, flags);
      return 0;
    } catch (Throwable e) {
      return ErrorReplies.reply("create", path, e);
    }
  }

  @Override
  public int read(String path, Pointer buf, long size, long offset, FuseFileInfo fi) {
    try {
      return handle(fi).read(NativeMemory.view(buf, size), offset);
    } catch (Throwable e) {
      return ErrorReplies.reply("read", path, e);
    }
  }

  @Override
  public int write(String path, Pointer buf, long size, long offset, FuseFileInfo fi) {
    try {
      return handle(fi).write(NativeMemory.view(buf, size), offset);
    } catch (Throwable e) {
      return ErrorReplies.reply("write", path, e);
    }
  }

  @Override
  public int flush(String path, FuseFileInfo fi) {
    try {
      handle(fi).flush();
      return 0;
    } catch (Throwable e) {
      return ErrorReplies.reply("flush", path, e);
    }
  }

  @Override
  public int fsync(String path, int isDataSync, FuseFileInfo fi) {
    try {
      handle(fi).fsync(isDataSync != 0);
      return 0;
    } catch (Throwable e) {
      return ErrorReplies.reply("fsync", path, e);
    }
  }

  @Override
  public int release(String path, FuseFileInfo fi) {
    try {
      OpenFile file = openFiles.remove(fi.fh.get());
      if (file == null) {
        return -Errno.EBADF;
      }
      file.release();
      return 0;
    } catch (Throwable e) {
      return ErrorReplies.reply("release", path, e);
    }
  }

  @Override
  public int readdir(String path, Pointer buf, FuseFillDir filler, long offset, FuseFileInfo fi) {
    try {
      long dir = resolver.require(path).ino();
      jnr.ffi.Runtime runtime = jnr.ffi.Runtime.getSystemRuntime();
      FileStat stat = FileStat.of(jnr.ffi.Memory.allocateDirect(runtime, Struct.size(new FileStat(runtime)), true));
      if (offset < 1 && filler.apply(buf, ".", null, 1) != 0) {
        return 0;
      }
      if (offset < DOT_ENTRIES && filler.apply(buf, "..", null, DOT_ENTRIES) != 0) {
        return 0;
      }
      fs.readdir(dir, Math.max(0, offset - DOT_ENTRIES), (DirEntry entry) -> {
        stat.st_ino.set(entry.ino());
        stat.st_mode.set(entry.type().modeBits());
        return filler.apply(buf, entry.name(), stat, entry.nextOffset() + DOT_ENTRIES) == 0;
      });
      return 0;
    } catch (Throwable e) {
      return ErrorReplies.reply("readdir", path, e);
    }
  }

  @Override
  public int statfs(String path, Statvfs stbuf) {
    try {
      FsStats s = fs.statfs();
      stbuf.f_bsize.set(s.blockSize());
      stbuf.f_frsize.set(s.blockSize());
      stbuf.f_blocks.set(s.totalBlocks());
      stbuf.f_bfree.set(s.freeBlocks());
      stbuf.f_bavail.set(s.availableBlocks());
      stbuf.f_files.set(s.totalFiles());
      stbuf.f_ffree.set(s.freeFiles());
      stbuf.f_favail.set(s.freeFiles());
      stbuf.f_namemax.set(s.maxNameLength());
      return 0;
    } catch (Throwable e) {
      return ErrorReplies.reply("statfs", path, e);
    }
  }

  @Override
  public int getxattr(String path, String name, Pointer value, long size) {
    try {
      return copyOut(fs.getxattr(resolver.require(path).ino(), name), value, size);
    } catch (Throwable e) {
      return ErrorReplies.reply("getxattr", path, e);
    }
  }

  @Override
  public int listxattr(String path, Pointer list, long size) {
    try {
      List<String> names = fs.listxattr(resolver.require(path).ino());
      StringBuilder joined = new StringBuilder();
      for (String name : names) {
        joined.append(name).append('\0');
      }
      return copyOut(joined.toString().getBytes(StandardCharsets.UTF_8), list, size);
    } catch (Throwable e) {
      return ErrorReplies.reply("listxattr", path, e);
    }
  }

  private void register(OpenFile file, FuseFileInfo fi, OpenFlags flags) {
    fi.fh.set(openFiles.add(file));
    PageCache pageCache = flags.direct() ? PageCache.BYPASS : file.pageCache();
    if (fileInfoBitsUsable) {
      FileInfoBits.apply(fi, pageCache);
    }
  }

  private OpenFile handle(FuseFileInfo fi) throws ErrnoException {
    long handle = fi.fh.get();
    OpenFile file = openFiles.get(handle);
    if (file == null) {
      throw new ErrnoException(Errno.EBADF, "no open file with handle " + handle);
    }
    return file;
  }

  /** getxattr/listxattr convention: size 0 asks for the length; a short buffer is ERANGE. */
  private static int copyOut(byte[] bytes, Pointer dst, long size) throws ErrnoException {
    if (size == 0) {
      return bytes.length;
    }
    if (size < bytes.length) {
      throw new ErrnoException(Errno.ERANGE, "buffer of " + size + " bytes is too small for " + bytes.length);
    }
    dst.put(0, bytes, 0, bytes.length);
    return bytes.length;
  }
}
