package org.keepfs.client.writable.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.keepfs.client.fuse.FuseMount;
import org.keepfs.client.fuse.MountOptions;
import org.keepfs.client.http.HttpOptions;
import org.keepfs.client.mount.ClientConfig;
import org.keepfs.client.mount.ClientSetup;

/**
 * A fresh read-only mount of the gateway with an empty cache: how the tests look at what a commit
 * stored, through the same path any reader of the collection takes.
 */
final class ReadOnlyMount implements AutoCloseable {
  private final ClientSetup client;
  private final FuseMount mount;

  private ReadOnlyMount(ClientSetup client, FuseMount mount) {
    this.client = client;
    this.mount = mount;
  }

  /** Mounts {@code gateway} on {@code work/mnt} with its cache in {@code work/cache}; {@code work} must not exist yet. */
  static ReadOnlyMount open(LiveGateway gateway, Path work) throws IOException {
    Files.createDirectories(work);
    Path mnt = Files.createDirectory(work.resolve("mnt"));
    HttpOptions http = HttpOptions.of(gateway.uri())
        .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ofSeconds(5));
    ClientSetup client = ClientSetup.open(new ClientConfig(http, work.resolve("cache"), 256L << 20, false,
        Duration.ofDays(1), "", Duration.ofSeconds(1)));
    try {
      return new ReadOnlyMount(client, FuseMount.mount(client.fileSystem(), mnt, MountOptions.defaults("keepfs-check"),
          Duration.ofSeconds(30)));
    } catch (IOException | RuntimeException e) {
      client.close();
      throw e;
    }
  }

  /** The collection's directory in this mount. */
  Path collection(String name) {
    return mount.mountPoint().resolve("collections").resolve(name);
  }

  @Override
  public void close() throws IOException {
    try {
      mount.close();
    } finally {
      client.close();
    }
  }
}
