package org.keepfs.client.fuse;

import java.nio.file.Path;
import java.time.Duration;
import org.keepfs.client.fs.FileSystem;
import org.keepfs.client.fs.MemoryFileSystem;

/**
 * Mounts a tree for benchmarks ({@code bench/fuse/}) and stays until the mount is removed from
 * outside ({@code fusermount -u}); prints "mounted" once the kernel lists it. The tree is
 * {@link MemoryFileSystem} (read-write); with {@code pattern SIZE} a {@link PatternFileSystem} whose
 * {@code /pattern} has SIZE bytes (to measure the adapter without the tree's own costs); with
 * {@code tree DIRS FILES} a read-only {@link GeneratedTreeFileSystem} of DIRS directories of FILES
 * files each, every answer cacheable for 60 s.
 *
 * <p>System properties: {@code keepfs.fuse.api} chooses the binding (highlevel or lowlevel; default:
 * the default API); {@code keepfs.fuse.timeout} (seconds) sets the mount-wide kernel timeouts the
 * high-level API uses instead of per-reply lifetimes (default: {@link MountOptions#defaults}'s).
 */
public final class MemoryMountMain {
  private static final Duration TREE_LIFETIME = Duration.ofSeconds(60);

  private MemoryMountMain() {}

  public static void main(String[] args) throws Exception {
    FileSystem fs;
    if (args.length == 1) {
      fs = new MemoryFileSystem();
    } else if (args.length == 3 && args[1].equals("pattern")) {
      fs = new PatternFileSystem(Long.parseLong(args[2]));
    } else if (args.length == 4 && args[1].equals("tree")) {
      fs = new GeneratedTreeFileSystem(Integer.parseInt(args[2]), Integer.parseInt(args[3]), TREE_LIFETIME);
    } else {
      System.err.println("usage: MemoryMountMain MOUNTPOINT [pattern SIZE | tree DIRS FILES]");
      System.exit(2);
      return;
    }
    MountOptions options = MountOptions.defaults("memory-bench").withReadOnly(false)
        .withApi(FuseApi.parse(System.getProperty("keepfs.fuse.api", FuseApi.DEFAULT_NAME)));
    String timeout = System.getProperty("keepfs.fuse.timeout");
    if (timeout != null) {
      Duration t = Duration.ofSeconds(Long.parseLong(timeout));
      options = options.withTimeouts(t, t, t);
    }
    FuseMount mount = FuseMount.mount(fs, Path.of(args[0]), options, Duration.ofSeconds(30));
    System.out.println("mounted");
    System.out.flush();
    mount.awaitUnmounted();
    mount.close();
  }
}
