package org.keepfs.client.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.Callable;
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
        + " mount is committed first (through MOUNTPOINT/.arv/commit); if that commit fails the mount stays up.")
public final class UnmountCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "MOUNTPOINT", description = "The directory the filesystem is mounted on.")
  Path mountPoint;

  @Option(names = "--no-lazy", description = "Fail instead of detaching lazily when the mount is busy.")
  boolean noLazy;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
  boolean help;

  @Spec CommandSpec spec;

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
      Path commit = mp.resolve(".arv").resolve("commit");
      // Writable mounts only: a read-only mount of a collection that holds an .arv/commit file answers EROFS here.
      if (Files.isRegularFile(commit) && Files.isWritable(commit)) {
        try {
          Files.writeString(commit, "1\n", StandardCharsets.UTF_8, StandardOpenOption.WRITE);
        } catch (IOException e) {
          err.println("keepfs unmount: the commit before unmounting failed (" + e.getMessage() + "): " + mp
              + " stays mounted so nothing is lost; the mount's log says why. Retry when the gateway is back;"
              + " fusermount -u would unmount anyway and leave the changes in the mount's spool.");
          return 1;
        }
        out.println("committed " + mp);
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
