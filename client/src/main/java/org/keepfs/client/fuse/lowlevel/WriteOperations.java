package org.keepfs.client.fuse.lowlevel;

import static org.keepfs.client.fuse.lowlevel.LowLevelAdapter.fail;
import static org.keepfs.client.fuse.lowlevel.LowLevelAdapter.string;

import java.lang.foreign.MemorySegment;
import org.keepfs.client.fs.Created;
import org.keepfs.client.fs.Entry;
import org.keepfs.client.fs.FileSystem;
import org.keepfs.client.fs.NoEntry;
import org.keepfs.client.fs.OpenFlags;
import org.keepfs.client.fuse.LinuxOpenFlags;
import org.keepfs.client.fuse.lowlevel.Structs.FileInfo;
import org.keepfs.posix.Errno;
import org.keepfs.posix.ErrnoException;

/**
 * The requests that change the tree or a file's bytes, translated to {@link FileSystem}; on a
 * read-only tree they answer EROFS through the interface's defaults.
 */
final class WriteOperations {
  private static final int RENAME_NOREPLACE = 1;
  private static final int RENAME_EXCHANGE = 1 << 1;

  private final LowLevelAdapter adapter;
  private final FileSystem fs;

  WriteOperations(LowLevelAdapter adapter, FileSystem fs) {
    this.adapter = adapter;
    this.fs = fs;
  }

  public void create(MemorySegment req, long parent, MemorySegment namePointer, int mode, MemorySegment fiPointer) {
    String name = "?";
    try {
      name = string(namePointer);
      MemorySegment fi = FileInfo.of(fiPointer);
      OpenFlags flags = LinuxOpenFlags.decode(FileInfo.flags(fi));
      Created created = fs.create(parent, name, mode & 07777, flags);
      adapter.replyOpen(req, created.entry().ino(), created.file(), flags, fi, created.entry());
    } catch (Throwable e) {
      fail(req, "create", parent, name, e);
    }
  }

  public void write(MemorySegment req, long ino, MemorySegment buf, long size, long offset, MemorySegment fi) {
    try {
      int n = adapter.handle(fi).write(buf.reinterpret(size).asByteBuffer(), offset);
      Replies.write(req, n);
    } catch (Throwable e) {
      fail(req, "write", ino, null, e);
    }
  }

  public void flush(MemorySegment req, long ino, MemorySegment fi) {
    try {
      adapter.handle(fi).flush();
      Replies.error(req, 0);
    } catch (Throwable e) {
      fail(req, "flush", ino, null, e);
    }
  }

  public void fsync(MemorySegment req, long ino, int dataSync, MemorySegment fi) {
    try {
      adapter.handle(fi).fsync(dataSync != 0);
      Replies.error(req, 0);
    } catch (Throwable e) {
      fail(req, "fsync", ino, null, e);
    }
  }

  public void mkdir(MemorySegment req, long parent, MemorySegment namePointer, int mode) {
    String name = "?";
    try {
      name = string(namePointer);
      Entry entry = fs.mkdir(parent, name, mode & 07777);
      adapter.replyEntry(req, entry, adapter.scratch());
    } catch (Throwable e) {
      fail(req, "mkdir", parent, name, e);
    }
  }

  public void symlink(MemorySegment req, MemorySegment targetPointer, long parent, MemorySegment namePointer) {
    String name = "?";
    try {
      name = string(namePointer);
      Entry entry = fs.symlink(parent, name, string(targetPointer));
      adapter.replyEntry(req, entry, adapter.scratch());
    } catch (Throwable e) {
      fail(req, "symlink", parent, name, e);
    }
  }

  public void unlink(MemorySegment req, long parent, MemorySegment namePointer) {
    String name = "?";
    try {
      name = string(namePointer);
      fs.unlink(parent, name);
      Replies.error(req, 0);
    } catch (Throwable e) {
      fail(req, "unlink", parent, name, e);
    }
  }

  public void rmdir(MemorySegment req, long parent, MemorySegment namePointer) {
    String name = "?";
    try {
      name = string(namePointer);
      fs.rmdir(parent, name);
      Replies.error(req, 0);
    } catch (Throwable e) {
      fail(req, "rmdir", parent, name, e);
    }
  }

  /**
   * rename(2) and renameat2(2): RENAME_NOREPLACE is checked here (the interface's rename replaces),
   * RENAME_EXCHANGE is not offered by the filesystem interface and answers EINVAL, which makes
   * programs fall back to a plain rename.
   */
  public void rename(MemorySegment req, long parent, MemorySegment namePointer, long newParent, MemorySegment newNamePointer, int flags) {
    String name = "?";
    try {
      name = string(namePointer);
      String newName = string(newNamePointer);
      if ((flags & RENAME_EXCHANGE) != 0) {
        throw new ErrnoException(Errno.EINVAL, "RENAME_EXCHANGE of " + name + " is not supported");
      }
      if ((flags & ~RENAME_NOREPLACE) != 0) {
        throw new ErrnoException(Errno.EINVAL, "rename flags 0x" + Integer.toHexString(flags) + " are not supported");
      }
      if ((flags & RENAME_NOREPLACE) != 0 && !(fs.lookup(newParent, newName) instanceof NoEntry)) {
        throw new ErrnoException(Errno.EEXIST, newName + " exists and RENAME_NOREPLACE was asked");
      }
      fs.rename(parent, name, newParent, newName);
      Replies.error(req, 0);
    } catch (Throwable e) {
      fail(req, "rename", parent, name, e);
    }
  }
}
