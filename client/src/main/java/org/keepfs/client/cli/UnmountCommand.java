package org.keepfs.client.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.keepfs.client.fuse.MountInfo;
import org.keepfs.client.fuse.MountTable;
import org.keepfs.client.fuse.Unmounter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code keepfs unmount MOUNTPOINT}: ends a FUSE mount cleanly, lazily only if it is busy. */
@Command(
    name = "unmount",
    description = "Unmounts a keepfs (or any FUSE) mount: fusermount -u, then umount; when the mount is busy it is"
        + " detached lazily (it disappears for new users at once and ends when the last program leaves). A writable"
        + " mount is committed first (through MOUNTPOINT/.arv/commit, or each MOUNTPOINT/collections/NAME/.arv/commit"
        + " of a full read-write mount); if a commit fails the mount stays up.")
public final class UnmountCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "MOUNTPOINT", description = "The directory the filesystem is mounted on.")
  Path mountPoint;

  @Option(names = "--no-lazy", description = "Fail instead of detaching lazily when the mount is busy.")
  boolean noLazy;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
  boolean help;

  @Spec CommandSpec spec;

  /**
   * The writable collections of the mount: the mount itself when it is one collection, otherwise each
   * {@code collections/NAME} a full read-write mount lists (it lists the collections it opened for writing).
   * Only writable control files count: a read-only mount answers EROFS to the access check.
   */
  static List<Path> writableRoots(Path mp) throws IOException {
    if (isWritableCollection(mp)) {
      return List.of(mp);
    }
    Path collections = mp.resolve("collections");
    if (!Files.isDirectory(collections)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(collections)) {
      return s.filter(UnmountCommand::isWritableCollection).sorted().toList();
    }
  }

  private static boolean isWritableCollection(Path root) {
    Path commit = root.resolve(".arv").resolve("commit");
    return Files.isRegularFile(commit) && Files.isWritable(commit);
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    Path mp = MountTable.canonical(mountPoint);
    try {
      Optional<MountInfo> mounted = MountTable.find(mp);
      if (mounted.isEmpty()) {
        err.println("keepfs unmount: nothing is mounted on " + mp + " (/proc/self/mountinfo does not list it)");
        return 1;
      }
      if (!mounted.get().isFuse()) {
        err.println("keepfs unmount: " + mp + " is a " + mounted.get().fsType() + " mount, not a FUSE mount;"
            + " keepfs unmount only ends FUSE mounts (use umount for others)");
        return 1;
      }
      boolean failed = false;
      for (Path root : writableRoots(mp)) {
        try {
          Files.writeString(root.resolve(".arv").resolve("commit"), "1\n", StandardCharsets.UTF_8, StandardOpenOption.WRITE);
          out.println("committed " + root);
        } catch (IOException e) {
          failed = true;
          err.println("keepfs unmount: the commit of " + root + " before unmounting failed (" + e.getMessage() + ")");
        }
      }
      if (failed) {
        err.println("keepfs unmount: " + mp + " stays mounted so nothing is lost; the mount's log says why. Retry when"
            + " the gateway is back; fusermount -u would unmount anyway and leave the changes in the mount's spools.");
        return 1;
      }
      Unmounter.Outcome outcome = Unmounter.unmount(mp, !noLazy);
      if (outcome == Unmounter.Outcome.LAZY) {
        out.println("unmounted " + mp + " lazily: it was busy, and programs still inside keep their view until they leave");
      } else {
        out.println("unmounted " + mp);
      }
      return 0;
    } catch (IOException e) {
      err.println("keepfs unmount: " + e.getMessage());
      return 1;
    }
  }
}
