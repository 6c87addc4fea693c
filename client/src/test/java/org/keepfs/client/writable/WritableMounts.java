package org.keepfs.client.writable;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.keepfs.client.fuse.FuseMount;
import org.keepfs.client.fuse.MountInfo;
import org.keepfs.client.fuse.MountOptions;
import org.keepfs.client.fuse.MountTable;
import org.keepfs.client.fuse.Unmounter;
import org.keepfs.client.http.HttpOptions;
import org.keepfs.client.mount.ClientConfig;
import org.keepfs.client.mount.ClientSetup;
import org.keepfs.client.write.commit.GatewayFixture;
import org.keepfs.client.write.commit.WriterSettings;
import org.keepfs.client.write.http.CollectionApiClient;
import org.keepfs.client.write.http.GatewayHttp;
import org.keepfs.client.write.http.RetryPolicy;

/**
 * A real gateway (Keep blocks and the collections API on a local directory, on 127.0.0.1) and writable
 * mounts of its collections with real FUSE, as {@code keepfs mount --read-write} assembles them.
 * {@link #close} finishes every mount (commit, unmount) and stops the gateway, leaving no mount behind.
 */
final class WritableMounts implements AutoCloseable {
  /** Retries short enough that a test of a stopped gateway fails in well under a second per request. */
  static final RetryPolicy QUICK_RETRY = new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(50));

  /** One mount and its parts; {@link #messages} holds what the mount command would print. */
  record Mounted(Path mnt, WritableMount writable, FuseMount fuse, MountedCollection session, ClientSetup client,
      StringWriter messages) {
    Path path(String relative) {
      return mnt.resolve(relative);
    }
  }

  final Path dir;
  final GatewayFixture gateway;
  private final List<Mounted> mounted = new ArrayList<>();

  private WritableMounts(Path dir, GatewayFixture gateway) {
    this.dir = dir;
    this.gateway = gateway;
  }

  static WritableMounts start(Path dir) throws Exception {
    return new WritableMounts(dir, GatewayFixture.start(dir.resolve("gateway")));
  }

  WriterSettings writerSettings(String collection, String spool) {
    return WriterSettings.of(gateway.uri(), Optional.of(GatewayFixture.TOKEN), collection, dir.resolve(spool));
  }

  Mounted mount(String collection, String mountName) throws Exception {
    return mount(collection, mountName, s -> s);
  }

  /** Mounts {@code collection} on DIR/mountName with the spool DIR/mountName-spool, settings changed by {@code tweak}. */
  Mounted mount(String collection, String mountName, UnaryOperator<WritableMount.Settings> tweak) throws Exception {
    WritableMount.Settings settings = tweak.apply(new WritableMount.Settings(
        writerSettings(collection, mountName + "-spool"), Optional.empty(), false));
    Path mnt = Files.createDirectories(dir.resolve(mountName));
    ClientSetup client = ClientSetup.open(new ClientConfig(
        HttpOptions.of(gateway.uri()).withToken(Optional.of(GatewayFixture.TOKEN)), dir.resolve(mountName + "-cache"),
        256L << 20, false, Duration.ofDays(1), "", Duration.ofSeconds(1)));
    WritableMount writable;
    try {
      writable = WritableMount.open(settings, Optional.of(client.blocks()));
    } catch (IOException | RuntimeException e) {
      client.close();
      throw e;
    }
    FuseMount fuse;
    try {
      fuse = FuseMount.mount(writable.fileSystem(), mnt, MountOptions.defaults("keepfs-rw-test").withReadOnly(false),
          Duration.ofSeconds(30));
    } catch (IOException | RuntimeException e) {
      writable.close();
      client.close();
      throw e;
    }
    StringWriter messages = new StringWriter();
    Mounted m = new Mounted(mnt, writable, fuse, new MountedCollection(writable, fuse, client, new PrintWriter(messages)),
        client, messages);
    mounted.add(m);
    return m;
  }

  /** The collection's manifest at the gateway now; fails when the collection does not exist. */
  String manifest(String collection) throws IOException {
    return head(collection).orElseThrow(() -> new AssertionError("collection '" + collection + "' does not exist"))
        .manifestText();
  }

  Optional<CollectionApiClient.Head> head(String collection) throws IOException {
    try (GatewayHttp http = new GatewayHttp(gateway.uri(), Optional.of(GatewayFixture.TOKEN), QUICK_RETRY)) {
      return new CollectionApiClient(http).head(collection);
    }
  }

  /** What a program run with /bin/sh printed; fails unless it exits 0. */
  static String sh(Path cwd, String script) throws Exception {
    Result r = run(cwd, script);
    if (r.exit != 0) {
      fail("sh -c '" + script + "' exited " + r.exit + ": " + r.err + r.out);
    }
    return r.out;
  }

  record Result(int exit, String out, String err) {}

  static Result run(Path cwd, String script) throws Exception {
    Path out = Files.createTempFile("rw-test-out", ".txt");
    Path err = Files.createTempFile("rw-test-err", ".txt");
    try {
      Process p = new ProcessBuilder("sh", "-c", script).directory(cwd.toFile())
          .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      p.getOutputStream().close();
      if (!p.waitFor(2, TimeUnit.MINUTES)) {
        p.destroyForcibly().waitFor();
        fail("sh -c '" + script + "' did not finish within two minutes");
      }
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  @Override
  public void close() throws Exception {
    try {
      for (Mounted m : mounted) {
        m.session.finish();
        if (MountTable.find(m.mnt).filter(MountInfo::isFuse).isPresent()) {
          Unmounter.unmount(m.mnt, true);
        }
      }
    } finally {
      gateway.close();
    }
  }
}
