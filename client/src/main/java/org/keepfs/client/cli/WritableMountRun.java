package org.keepfs.client.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.keepfs.client.fuse.FuseMount;
import org.keepfs.client.fuse.MountOptions;
import org.keepfs.client.mount.ClientSetup;
import org.keepfs.client.mount.ReadWriteGatewayFileSystem;
import org.keepfs.client.writable.MountedCollection;
import org.keepfs.client.writable.OpenCollections;
import org.keepfs.client.writable.WritableMount;

/**
 * A read-write {@code keepfs mount} from mounting to its end: one collection, or the whole gateway with
 * every {@code collections/NAME} writable; serves until it is unmounted, the {@code --exec} command exits
 * or a signal comes, and commits on the way out ({@link MountedCollection#finish}).
 */
final class WritableMountRun {
  private final URI gateway;
  private final MountOptions options;
  private final Optional<List<String>> exec;
  private final PrintWriter out;
  private final PrintWriter err;

  WritableMountRun(URI gateway, MountOptions options, Optional<List<String>> exec, PrintWriter out, PrintWriter err) {
    this.gateway = gateway;
    this.options = options;
    this.exec = exec;
    this.out = out;
    this.err = err;
  }

  /** The read-write mount: one collection, committed before the mount ends (see {@link MountedCollection}). */
  int oneCollection(ClientSetup client, WritableMount.Settings settings, Path mp) throws InterruptedException {
    WritableMount writable;
    try {
      writable = WritableMount.open(settings, Optional.of(client.blocks()));
    } catch (IOException e) {
      closeQuietly(client);
      err.println("keepfs mount: cannot open collection '" + settings.writer().collection() + "' for writing: " + e.getMessage());
      return 1;
    }
    FuseMount mount;
    try {
      mount = FuseMount.mount(writable.fileSystem(), mp, options, MountCommand.MOUNT_WAIT);
    } catch (IOException e) {
      closeQuietly(writable);
      closeQuietly(client);
      err.println("keepfs mount: " + e.getMessage());
      return 1;
    }
    MountedCollection mounted = new MountedCollection(writable, mount, client, err);
    return serve(mounted, "collection '" + settings.writer().collection() + "' at " + gateway + " on " + mp
        + " (read-write, spool " + settings.writer().spoolDir() + ")");
  }

  /**
   * The full read-write mount: the gateway's tree with every collections/NAME writable, each opened at its
   * first lookup and committed on its own. Spools an earlier run left are recovered first.
   */
  int wholeGateway(ClientSetup client, Function<String, WritableMount.Settings> settingsFor, Path spools, Path mp)
      throws InterruptedException {
    OpenCollections open = new OpenCollections(settingsFor, Optional.of(client.blocks()));
    FuseMount mount;
    try {
      client.checkRoot();
      for (String name : open.recoverSpools(spools, gateway)) {
        err.println("keepfs mount: recovered collection '" + name + "' from its spool; it is committed with the others");
      }
      mount = FuseMount.mount(new ReadWriteGatewayFileSystem(client.fileSystem(), open), mp,
          options, MountCommand.MOUNT_WAIT);
    } catch (IOException e) {
      // Nothing was mounted: what a recovered collection holds stays in its spool for the next mount.
      open.all().forEach(c -> closeQuietly(c.mount()));
      closeQuietly(client);
      err.println("keepfs mount: " + e.getMessage());
      return 1;
    }
    MountedCollection mounted = new MountedCollection(open, mount, client, err);
    return serve(mounted, gateway + " on " + mp + " (read-write: collections/NAME, spools in "
        + spools + ")");
  }

  /** Serves a writable mount until it ends, and commits: at the --exec command's exit, SIGINT/SIGTERM or unmount. */
  private int serve(MountedCollection mounted, String description) throws InterruptedException {
    FuseMount mount = mounted.mount();
    // SIGINT or SIGTERM (also while an --exec command runs) commits and unmounts before the JVM exits.
    Thread commitOnExit = new Thread(mounted::finish, "keepfs-commit-and-unmount");
    Runtime.getRuntime().addShutdownHook(commitOnExit);
    if (exec.isPresent()) {
      int status = runCommand(exec.get());
      boolean committed = mounted.finish();
      try {
        Runtime.getRuntime().removeShutdownHook(commitOnExit);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running or ran: finish() has done its work once either way.
      }
      if (!committed) {
        err.println("keepfs mount: exiting with status " + (status == 0 ? 1 : status) + ": "
            + String.join(" ", exec.get()) + " exited " + status + ", and the commit failed");
        return status == 0 ? 1 : status;
      }
      return status;
    }
    out.println("keepfs mount: " + description);
    out.flush();
    while (mount.isServing()) {
      Thread.sleep(200);
    }
    return mounted.finish() ? 0 : 1;
  }

  /** Runs the --exec command with the terminal's streams; its exit status, or 127 when it could not start. */
  private int runCommand(List<String> command) throws InterruptedException {
    try {
      return new ProcessBuilder(command).inheritIO().start().waitFor();
    } catch (IOException e) {
      err.println("keepfs mount: cannot run " + String.join(" ", command) + ": " + e.getMessage());
      return 127;
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      System.err.println("keepfs mount: closing: " + e.getMessage());
    }
  }
}
