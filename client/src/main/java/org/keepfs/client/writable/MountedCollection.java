package org.keepfs.client.writable;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.keepfs.client.fuse.FuseMount;
import org.keepfs.client.write.commit.Committer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link WritableMount} mounted with FUSE (or the collections a full read-write mount opened), and
 * the one way it ends: {@link #finish} commits each collection while the mount is still there (so nothing a program wrote is left behind by an unmount, a command's exit or
 * Ctrl-C), unmounts, commits again whatever arrived in between, and closes. When the first commit
 * fails, everything is written to the spool instead of trying again. It runs once however many
 * paths reach it (the shutdown hook, the end of the FUSE loop, an {@code --exec} command's exit); the
 * others wait for it and get the same answer.
 *
 * <p>When the mount was removed from outside ({@code fusermount -u}), the kernel has already let go of
 * it, so the commit runs just after: the process stays alive until it is done.
 */
public final class MountedCollection {
  private static final Logger LOG = LoggerFactory.getLogger(MountedCollection.class);

  private final Supplier<List<WritableMount>> writables;
  private final FuseMount mount;
  private final AutoCloseable alsoClose;
  private final PrintWriter err;
  private Boolean committed;

  /**
   * One collection as the whole mount.
   *
   * @param alsoClose closed last (the read side of the client: HTTP client and block cache)
   * @param err where the outcome is told (the mount command's standard error)
   */
  public MountedCollection(WritableMount writable, FuseMount mount, AutoCloseable alsoClose, PrintWriter err) {
    this(() -> List.of(writable), mount, alsoClose, err);
  }

  /**
   * The collections a full read-write mount has opened so far ({@link OpenCollections}): each is
   * committed on its own, and one failing does not keep the others from committing.
   */
  public MountedCollection(OpenCollections open, FuseMount mount, AutoCloseable alsoClose, PrintWriter err) {
    this(() -> open.all().stream().map(OpenCollections.Opened::mount).toList(), mount, alsoClose, err);
  }

  private MountedCollection(Supplier<List<WritableMount>> writables, FuseMount mount, AutoCloseable alsoClose,
      PrintWriter err) {
    this.writables = writables;
    this.mount = mount;
    this.alsoClose = alsoClose;
    this.err = err;
  }

  public FuseMount mount() {
    return mount;
  }

  /**
   * Commits, unmounts, commits what came after, closes. Returns true when everything written is
   * committed; false when a commit failed (the message says where the data waits).
   */
  public synchronized boolean finish() {
    if (committed != null) {
      return committed;
    }
    Set<WritableMount> failed = new HashSet<>();
    for (WritableMount w : writables.get()) {
      if (!commit(w, "before unmounting")) {
        failed.add(w);
      }
    }
    try {
      mount.close();
    } catch (IOException e) {
      tell("keepfs mount: unmounting " + mount.mountPoint() + ": " + e.getMessage());
    }
    // The list again: a collection may have been opened between the first round and the unmount.
    List<WritableMount> all = writables.get();
    for (WritableMount w : all) {
      if (!failed.contains(w) && w.writer().dirty()) {
        if (!commit(w, "after unmounting")) {
          failed.add(w);
        }
      } else if (failed.contains(w)) {
        // The gateway just failed us: rather than wait through the retries again, make what was written since
        // the failed commit durable in the spool too, where the next mount or keepfs recover finds it.
        try {
          w.writer().tree().fsync();
        } catch (IOException e) {
          tell("keepfs mount: writing the spool snapshot of collection '" + w.settings().writer().collection()
              + "' failed too: " + e.getMessage() + "; what was written after the failed commit may be lost");
        }
      }
    }
    for (WritableMount w : all) {
      try {
        w.close();
      } catch (IOException e) {
        tell("keepfs mount: closing the writer of collection '" + w.settings().writer().collection() + "': " + e.getMessage());
      }
    }
    try {
      alsoClose.close();
    } catch (Exception e) {
      tell("keepfs mount: closing the client: " + e.getMessage());
    }
    committed = failed.isEmpty();
    return committed;
  }

  private boolean commit(WritableMount writable, String when) {
    String name = writable.settings().writer().collection();
    try {
      Optional<Committer.Result> r = writable.commitIfDirty();
      r.ifPresent(result -> {
        tell("keepfs mount: committed collection '" + name + "' as " + result.pdh()
            + (result.conflicts().isEmpty() ? "" : " (conflicting versions saved as " + result.conflicts() + ")"));
      });
      return true;
    } catch (IOException | RuntimeException e) {
      LOG.debug("commit {} failed", when, e);
      tell("keepfs mount: COMMIT FAILED for collection '" + name + "' " + when + ": " + e.getMessage()
          + ". Nothing is lost: the changes stay in the spool " + writable.settings().writer().spoolDir()
          + "; the next mount of this collection, or: keepfs recover " + writable.settings().writer().spoolDir()
          + ", commits them.");
      return false;
    }
  }

  private void tell(String message) {
    err.println(message);
    err.flush();
  }
}
