package org.keepfs.client.fuse.lowlevel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keepfs.client.fs.DirectorySink;
import org.keepfs.client.fs.FileSystem;
import org.keepfs.client.fs.FsStats;
import org.keepfs.client.fs.Lookup;
import org.keepfs.client.fs.MemoryFileSystem;
import org.keepfs.client.fs.OpenFile;
import org.keepfs.client.fs.OpenFlags;
import org.keepfs.client.fs.TimedAttributes;
import org.keepfs.client.fuse.FuseApi;
import org.keepfs.client.fuse.FuseMount;
import org.keepfs.client.fuse.FuseMountSupport;
import org.keepfs.client.fuse.MountOptions;
import org.keepfs.posix.Errno;
import org.keepfs.posix.ErrnoException;

/**
 * A filesystem with extended attributes serves them; one without says so once (ENOSYS), after which
 * the kernel answers "not supported" itself instead of asking for every file {@code ls -l} shows.
 */
class ExtendedAttributesMountTest {
  @TempDir Path temp;

  /** A memory tree whose every node has {@code user.origin = keepfs}. */
  private static final class WithXattrs implements FileSystem {
    final MemoryFileSystem memory = new MemoryFileSystem();

    @Override
    public Lookup lookup(long parent, String name) throws IOException {
      return memory.lookup(parent, name);
    }

    @Override
    public TimedAttributes getattr(long ino) throws IOException {
      return memory.getattr(ino);
    }

    @Override
    public void readdir(long dir, long offset, DirectorySink sink) throws IOException {
      memory.readdir(dir, offset, sink);
    }

    @Override
    public OpenFile open(long ino, OpenFlags flags) throws IOException {
      return memory.open(ino, flags);
    }

    @Override
    public String readlink(long ino) throws IOException {
      return memory.readlink(ino);
    }

    @Override
    public FsStats statfs() {
      return memory.statfs();
    }

    @Override
    public byte[] getxattr(long ino, String name) throws IOException {
      memory.getattr(ino);
      if (name.equals("user.origin")) {
        return "keepfs".getBytes(StandardCharsets.UTF_8);
      }
      throw new ErrnoException(Errno.ENODATA, "no " + name);
    }

    @Override
    public List<String> listxattr(long ino) throws IOException {
      memory.getattr(ino);
      return List.of("user.origin");
    }
  }

  private FuseMount mount(FileSystem fs, Path mnt) throws IOException {
    return FuseMount.mount(fs, mnt, MountOptions.defaults("xattr-test").withApi(FuseApi.LOW_LEVEL), Duration.ofSeconds(20));
  }

  @Test
  void attributesTheFilesystemHasAreServed() throws Exception {
    FuseMountSupport.assumeFuseUsable();
    Path mnt = Files.createDirectory(temp.resolve("with"));
    try (FuseMount m = mount(new WithXattrs(), mnt)) {
      UserDefinedFileAttributeView view = Files.getFileAttributeView(mnt, UserDefinedFileAttributeView.class);
      assertEquals(List.of("origin"), view.list());
      ByteBuffer value = ByteBuffer.allocate(64);
      view.read("origin", value);
      assertEquals("keepfs", new String(value.array(), 0, value.position(), StandardCharsets.UTF_8));
      FileSystemException missing = assertThrows(FileSystemException.class, () -> view.read("absent", ByteBuffer.allocate(8)));
      assertTrue(String.valueOf(missing.getMessage()).contains("No data available"), missing.getMessage());
    }
  }

  @Test
  void aFilesystemWithoutAttributesIsNotAskedForThem() throws Exception {
    FuseMountSupport.assumeFuseUsable();
    Path mnt = Files.createDirectory(temp.resolve("without"));
    try (FuseMount m = mount(new MemoryFileSystem(), mnt)) {
      UserDefinedFileAttributeView view = Files.getFileAttributeView(mnt, UserDefinedFileAttributeView.class);
      FileSystemException e = assertThrows(FileSystemException.class, () -> view.read("origin", ByteBuffer.allocate(8)));
      assertTrue(String.valueOf(e.getMessage()).contains("Operation not supported"), e.getMessage());
      assertEquals(List.of(), view.list(), "MemoryFileSystem lists no attributes");
    }
  }
}
