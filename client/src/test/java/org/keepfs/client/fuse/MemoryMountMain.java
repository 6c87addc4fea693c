package org.keepfs.client.fuse;

import java.nio.file.Path;
import java.time.Duration;
import org.keepfs.client.fs.MemoryFileSystem;

/**
 * Mounts an in-memory tree read-write for benchmarks ({@code bench/fuse/}) and stays until the
 * mount is removed from outside ({@code fusermount -u}); prints "mounted" once the kernel lists it.
 */
public final class MemoryMountMain {
  private MemoryMountMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: MemoryMountMain MOUNTPOINT");
      System.exit(2);
    }
    FuseMount mount = FuseMount.mount(new MemoryFileSystem(), Path.of(args[0]),
        MountOptions.defaults("memory-bench").withReadOnly(false), Duration.ofSeconds(30));
    System.out.println("mounted");
    System.out.flush();
    while (mount.isServing()) {
      Thread.sleep(100);
    }
    mount.close();
  }
}
