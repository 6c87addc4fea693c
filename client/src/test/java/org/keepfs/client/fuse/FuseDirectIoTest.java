package org.keepfs.client.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;
import org.keepfs.client.fs.DirEntry;
import org.keepfs.client.fs.DirectorySink;
import org.keepfs.client.fs.Entry;
import org.keepfs.client.fs.FileSystem;
import org.keepfs.client.fs.FsStats;
import org.keepfs.client.fs.Lookup;
import org.keepfs.client.fs.NoEntry;
import org.keepfs.client.fs.NodeAttributes;
import org.keepfs.client.fs.NodeType;
import org.keepfs.client.fs.OpenFile;
import org.keepfs.client.fs.OpenFlags;
import org.keepfs.client.fs.PageCache;
import org.keepfs.client.fs.TimedAttributes;
import org.keepfs.posix.Errno;
import org.keepfs.posix.ErrnoException;

/**
 * Proves that {@code direct_io} reaches the kernel: two files that stat as empty but have content.
 * Through the page cache the kernel trusts the size and reads nothing; with direct_io every read
 * goes to the filesystem, which returns the content.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(FuseApi.class)
class FuseDirectIoTest {
  @Parameter FuseApi api;

  private static final String CONTENT = "content the size does not announce\n";
  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  @TempDir Path temp;
  private FuseMount mount;
  private Path mnt;

  /** Root with "direct" (BYPASS) and "cached" (DROP), both of size 0. */
  private static final class SizelessFiles implements FileSystem {
    private static NodeAttributes attrs(long ino) {
      NodeType type = ino == ROOT_INODE ? NodeType.DIRECTORY : NodeType.FILE;
      return new NodeAttributes(ino, type, 0755, type == NodeType.DIRECTORY ? 2 : 1, 0, 0, 0, T, T, T);
    }

    @Override
    public Lookup lookup(long parent, String name) {
      return switch (name) {
        case "direct" -> new Entry(attrs(2), Duration.ZERO, Duration.ZERO);
        case "cached" -> new Entry(attrs(3), Duration.ZERO, Duration.ZERO);
        default -> NoEntry.UNCACHED;
      };
    }

    @Override
    public TimedAttributes getattr(long ino) {
      return new TimedAttributes(attrs(ino), Duration.ZERO);
    }

    @Override
    public void readdir(long dir, long offset, DirectorySink sink) {
      if (offset == 0 && sink.accept(new DirEntry("direct", 2, NodeType.FILE, 1))) {
        sink.accept(new DirEntry("cached", 3, NodeType.FILE, 2));
      }
    }

    @Override
    public OpenFile open(long ino, OpenFlags flags) {
      PageCache policy = ino == 2 ? PageCache.BYPASS : PageCache.DROP;
      byte[] bytes = CONTENT.getBytes(StandardCharsets.UTF_8);
      return new OpenFile() {
        @Override
        public int read(ByteBuffer dst, long offset) {
          int n = (int) Math.max(0, Math.min(dst.remaining(), bytes.length - offset));
          dst.put(bytes, (int) Math.min(offset, bytes.length), n);
          return n;
        }

        @Override
        public int write(ByteBuffer src, long offset) throws IOException {
          throw new ErrnoException(Errno.EROFS, "read-only");
        }

        @Override
        public TimedAttributes getattr() {
          return new TimedAttributes(attrs(ino), Duration.ZERO);
        }

        @Override
        public void truncate(long size) throws IOException {
          throw new ErrnoException(Errno.EROFS, "read-only");
        }

        @Override
        public void release() {}

        @Override
        public PageCache pageCache() {
          return policy;
        }
      };
    }

    @Override
    public String readlink(long ino) throws IOException {
      throw new ErrnoException(Errno.EINVAL, "no symlinks");
    }

    @Override
    public FsStats statfs() {
      return new FsStats(4096, 0, 0, 0, 3, 0, 255);
    }
  }

  @BeforeEach
  void mountIt() throws IOException {
    FuseMountSupport.assumeFuseUsable();
    mnt = Files.createDirectory(temp.resolve("mnt"));
    mount = FuseMount.mount(new SizelessFiles(), mnt, MountOptions.defaults("direct-io-test").withApi(api), Duration.ofSeconds(20));
  }

  @AfterEach
  void unmountIt() throws IOException {
    if (mount != null) {
      mount.close();
    }
  }

  @Test
  void directIoReadsWhatTheFilesystemReturnsWhateverTheSize() throws Exception {
    assertEquals(0, Files.size(mnt.resolve("direct")));
    assertEquals(0, Files.size(mnt.resolve("cached")));
    assertEquals(CONTENT, FuseMountSupport.run(mnt, "cat", "direct").requireSuccess().out());
    assertEquals("", FuseMountSupport.run(mnt, "cat", "cached").requireSuccess().out(),
        "through the page cache a file of size 0 reads as empty");
  }
}
