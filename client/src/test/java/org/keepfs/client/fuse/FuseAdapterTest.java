package org.keepfs.client.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import org.junit.jupiter.api.Test;
import org.keepfs.client.fs.DirectorySink;
import org.keepfs.client.fs.FileSystem;
import org.keepfs.client.fs.FsStats;
import org.keepfs.client.fs.Lookup;
import org.keepfs.client.fs.MemoryFileSystem;
import org.keepfs.client.fs.OpenFile;
import org.keepfs.client.fs.OpenFlags;
import org.keepfs.client.fs.PageCache;
import org.keepfs.client.fs.TimedAttributes;
import org.keepfs.posix.Errno;
import org.keepfs.posix.ErrnoException;
import ru.serce.jnrfuse.FuseFillDir;
import ru.serce.jnrfuse.struct.FileStat;
import ru.serce.jnrfuse.struct.FuseFileInfo;

/** The adapter's callbacks called directly, without a kernel mount. */
class FuseAdapterTest {
  private static final Runtime RUNTIME = Runtime.getSystemRuntime();

  private static FuseFileInfo fileInfo(int flags) {
    FuseFileInfo fi = FuseFileInfo.of(Memory.allocateDirect(RUNTIME, 64, true));
    fi.flags.set(flags);
    return fi;
  }

  private static FileStat stat() {
    return FileStat.of(Memory.allocateDirect(RUNTIME, 256, true));
  }

  @Test
  void anUnknownHandleIsEbadf() {
    FuseAdapter adapter = new FuseAdapter(new MemoryFileSystem());
    FuseFileInfo fi = fileInfo(0);
    fi.fh.set(4242);
    Pointer buf = Memory.allocateDirect(RUNTIME, 16);
    assertEquals(-Errno.EBADF, adapter.read("/x", buf, 16, 0, fi));
    assertEquals(-Errno.EBADF, adapter.write("/x", buf, 16, 0, fi));
    assertEquals(-Errno.EBADF, adapter.release("/x", fi));
  }

  @Test
  void exceptionsBecomeNegativeErrnosAndNeverEscape() {
    FuseAdapter failing = new FuseAdapter(new FailingFileSystem(new IllegalStateException("bug")));
    assertEquals(-Errno.EIO, failing.getattr("/", stat()));
    FuseAdapter denied = new FuseAdapter(new FailingFileSystem(new ErrnoException(Errno.EACCES, "no")));
    assertEquals(-Errno.EACCES, denied.getattr("/a/b", stat()));
    FuseAdapter oom = new FuseAdapter(new FailingFileSystem(new OutOfMemoryError("simulated")));
    assertEquals(-Errno.EIO, oom.getattr("/", stat()));
  }

  @Test
  void openRegistersAHandleAndSetsThePageCacheBits() throws Exception {
    MemoryFileSystem fs = new MemoryFileSystem();
    FuseAdapter adapter = new FuseAdapter(fs);
    assertEquals(0, adapter.create("/f", 0644, fileInfo(LinuxOpenFlags.O_WRONLY | LinuxOpenFlags.O_CREAT)));
    FileStat st = stat();
    assertEquals(0, adapter.getattr("/f", st));
    fs.setPageCache(st.st_ino.longValue(), PageCache.KEEP);

    FuseFileInfo fi = fileInfo(0);
    assertEquals(0, adapter.open("/f", fi));
    assertEquals(PageCache.KEEP, FileInfoBits.read(fi));
    long handle = fi.fh.get();
    FuseFileInfo direct = fileInfo(LinuxOpenFlags.O_DIRECT);
    assertEquals(0, adapter.open("/f", direct));
    assertEquals(PageCache.BYPASS, FileInfoBits.read(direct), "O_DIRECT asks for direct_io whatever the filesystem says");
    assertTrue(direct.fh.get() != handle, "every open gets its own handle");
    assertEquals(3, adapter.openFileCount());
    assertEquals(0, adapter.release("/f", fi));
    assertEquals(-Errno.EBADF, adapter.release("/f", fi), "a released handle is unknown");
  }

  @Test
  void readAndWriteGoThroughTheNativeBuffer() {
    FuseAdapter adapter = new FuseAdapter(new MemoryFileSystem());
    FuseFileInfo fi = fileInfo(LinuxOpenFlags.O_RDWR | LinuxOpenFlags.O_CREAT);
    assertEquals(0, adapter.create("/data", 0600, fi));
    byte[] bytes = "native bytes".getBytes(StandardCharsets.US_ASCII);
    Pointer in = Memory.allocateDirect(RUNTIME, bytes.length);
    in.put(0, bytes, 0, bytes.length);
    assertEquals(bytes.length, adapter.write("/data", in, bytes.length, 100, fi));
    Pointer out = Memory.allocateDirect(RUNTIME, 64);
    assertEquals(bytes.length, adapter.read("/data", out, 64, 100, fi), "a read stops at end of file");
    byte[] back = new byte[bytes.length];
    out.get(0, back, 0, back.length);
    assertEquals("native bytes", new String(back, StandardCharsets.US_ASCII));
    assertEquals(0, adapter.read("/data", out, 64, 500, fi));
  }

  @Test
  void readdirResumesFromTheOffsetItHandedOut() throws Exception {
    FuseAdapter adapter = new FuseAdapter(new MemoryFileSystem());
    for (int i = 0; i < 7; i++) {
      assertEquals(0, adapter.mkdir("/d" + i, 0755));
    }
    List<String> names = new ArrayList<>();
    long[] lastOffset = {0};
    int[] budget = {4};
    FuseFillDir filler = new FuseFillDir() {
      @Override
      public int apply(Pointer buf, ByteBuffer name, Pointer stbuf, long off) {
        if (budget[0]-- <= 0) {
          return 1;
        }
        byte[] b = new byte[name.remaining()];
        name.get(b);
        int end = 0;
        while (end < b.length && b[end] != 0) {
          end++;
        }
        names.add(new String(b, 0, end, StandardCharsets.UTF_8));
        lastOffset[0] = off;
        return 0;
      }
    };
    while (true) {
      int before = names.size();
      budget[0] = 4;
      assertEquals(0, adapter.readdir("/", null, filler, lastOffset[0], fileInfo(0)));
      if (names.size() == before) {
        break;
      }
    }
    assertEquals(List.of(".", "..", "d0", "d1", "d2", "d3", "d4", "d5", "d6"), names);
  }

  /** Every call fails with the same throwable. */
  private record FailingFileSystem(Throwable failure) implements FileSystem {
    private <T> T fail() throws IOException {
      switch (failure) {
        case IOException e -> throw e;
        case RuntimeException e -> throw e;
        case Error e -> throw e;
        default -> throw new IOException(failure);
      }
    }

    @Override
    public Lookup lookup(long parent, String name) throws IOException {
      return fail();
    }

    @Override
    public TimedAttributes getattr(long ino) throws IOException {
      return fail();
    }

    @Override
    public void readdir(long dir, long offset, DirectorySink sink) throws IOException {
      fail();
    }

    @Override
    public OpenFile open(long ino, OpenFlags flags) throws IOException {
      return fail();
    }

    @Override
    public String readlink(long ino) throws IOException {
      return fail();
    }

    @Override
    public FsStats statfs() throws IOException {
      return fail();
    }
  }
}
