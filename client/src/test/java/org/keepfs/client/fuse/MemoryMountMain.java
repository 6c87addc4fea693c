package org.keepfs.client.fuse;

import java.nio.file.Path;
import java.time.Duration;
import org.keepfs.client.fs.FileSystem;
import org.keepfs.client.fs.MemoryFileSystem;

/**
 * Mounts a tree read-write for benchmarks ({@code bench/fuse/}) and stays until the mount is removed
 * from outside ({@code fusermount -u}); prints "mounted" once the kernel lists it. The tree is
 * {@link MemoryFileSystem}, or with {@code pattern SIZE} a {@link PatternFileSystem} whose
 * {@code /pattern} has SIZE bytes (to measure the adapter without the tree's own costs).
 */
public final class MemoryMountMain {
  private MemoryMountMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1 && !(args.length == 3 && args[1].equals("pattern"))) {
      System.err.println("usage: MemoryMountMain MOUNTPOINT [pattern SIZE]");
      System.exit(2);
    }
    FileSystem fs = args.length == 3 ? new PatternFileSystem(Long.parseLong(args[2])) : new MemoryFileSystem();
    FuseMount mount = FuseMount.mount(fs, Path.of(args[0]),
        MountOptions.defaults("memory-bench").withReadOnly(false)
            .withApi(FuseApi.parse(System.getProperty("keepfs.fuse.api", FuseApi.DEFAULT_NAME))), Duration.ofSeconds(30));
    System.out.println("mounted");
    System.out.flush();
    mount.awaitUnmounted();
    mount.close();
  }
}
