package org.keepfs.client.mount;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.keepfs.client.fs.DirEntry;
import org.keepfs.client.fs.Entry;
import org.keepfs.client.fs.FileSystem;
import org.keepfs.client.fs.Lookup;
import org.keepfs.client.fs.OpenFile;
import org.keepfs.client.fs.OpenFlags;
import org.keepfs.posix.Errno;
import org.keepfs.posix.ErrnoException;

/** Walks a {@link FileSystem} by path, as a front end would. */
final class FsPaths {
  private FsPaths() {}

  static long ino(FileSystem fs, String path) throws IOException {
    long ino = FileSystem.ROOT_INODE;
    for (String part : path.split("/")) {
      if (part.isEmpty()) {
        continue;
      }
      Lookup l = fs.lookup(ino, part);
      if (!(l instanceof Entry e)) {
        throw new ErrnoException(Errno.ENOENT, path + ": no " + part);
      }
      ino = e.ino();
    }
    return ino;
  }

  static byte[] read(FileSystem fs, String path) throws IOException {
    OpenFile f = fs.open(ino(fs, path), OpenFlags.READ_ONLY);
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteBuffer buf = ByteBuffer.allocate(128 << 10);
      long off = 0;
      while (true) {
        buf.clear();
        int n = f.read(buf, off);
        if (n <= 0) {
          return out.toByteArray();
        }
        out.write(buf.array(), 0, n);
        off += n;
      }
    } finally {
      f.release();
    }
  }

  static List<String> list(FileSystem fs, String path) throws IOException {
    List<String> names = new ArrayList<>();
    fs.readdir(ino(fs, path), 0, (DirEntry e) -> names.add(e.name()));
    return names;
  }
}
