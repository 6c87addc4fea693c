package org.keepfs.client.writable.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.keepfs.client.fuse.FuseMountSupport;

/**
 * What the tool, fault and full-mount tests share: a {@link LiveGateway} under a test's directory, the
 * read-write mount processes started on it (each on {@code DIR/mnt-N}), and fresh read-only mounts to
 * look at what was committed. Closing it ends every mount (processes and kernel mounts) and then the
 * gateway, whatever the test did.
 */
final class LiveMounts implements AutoCloseable {
  private final Path dir;
  private final LiveGateway gateway;
  private final List<MountProcess> started = new ArrayList<>();
  private int count;

  private LiveMounts(Path dir, LiveGateway gateway) {
    this.dir = dir;
    this.gateway = gateway;
  }

  /** Skips the test where FUSE cannot be used (fails under CI), then starts the gateway in {@code dir/gateway}. */
  static LiveMounts start(Path dir) throws Exception {
    FuseMountSupport.assumeFuseUsable();
    return new LiveMounts(dir, LiveGateway.start(dir.resolve("gateway")));
  }

  LiveGateway gateway() {
    return gateway;
  }

  /** {@code keepfs mount --read-write --collection NAME}, its cache and spool in {@code dir/rw-N}. */
  MountProcess readWrite(String collection, String... extra) throws Exception {
    int n = ++count;
    return track(MountProcess.start(gateway, collection, Files.createDirectories(dir.resolve("mnt-" + n)),
        dir.resolve("rw-" + n), extra));
  }

  /** As {@link #readWrite}, on the spool {@code spool} another mount left (to recover it). */
  MountProcess readWriteOnSpool(String collection, Path spool) throws Exception {
    int n = ++count;
    return track(MountProcess.start(gateway, collection, Files.createDirectories(dir.resolve("mnt-" + n)),
        dir.resolve("rw-" + n), spool));
  }

  /**
   * {@code keepfs mount --read-write} of the whole gateway. All full mounts of a test share {@code dir/rw}
   * (cache and spools), as successive mounts on one host do, so the next one finds what a killed one left.
   */
  MountProcess full(String... extra) throws Exception {
    int n = ++count;
    return track(MountProcess.startFull(gateway, Files.createDirectories(dir.resolve("mnt-" + n)), dir.resolve("rw"), extra));
  }

  /** The mount started last. */
  MountProcess last() {
    return started.getLast();
  }

  /** What a fresh read-only mount with an empty cache shows of a committed collection. */
  TreeMap<String, String> committed(String collection) throws Exception {
    try (ReadOnlyMount ro = ReadOnlyMount.open(gateway, dir.resolve("ro-" + (++count)))) {
      return TreeListing.of(ro.collection(collection));
    }
  }

  private MountProcess track(MountProcess m) {
    started.add(m);
    return m;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    try {
      for (MountProcess m : started.reversed()) {
        m.close();
      }
    } finally {
      gateway.close();
    }
  }
}
