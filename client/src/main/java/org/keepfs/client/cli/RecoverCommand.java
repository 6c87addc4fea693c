package org.keepfs.client.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.keepfs.client.writable.SpoolLock;
import org.keepfs.client.write.commit.CollectionWriter;
import org.keepfs.client.write.commit.Committer;
import org.keepfs.client.write.commit.WriterSettings;
import org.keepfs.client.write.spool.Spool;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code keepfs recover SPOOL}: commits what a writable mount that died had made durable in its spool. */
@Command(
    name = "recover",
    mixinStandardHelpOptions = true,
    description = {
      "Commits the changes a writable mount left in its spool when it was killed (what it had fsynced or",
      "committed-and-failed), to the collection and gateway the spool records (SPOOL/owner). The next",
      "mount of the same collection does the same by itself; this is for when there will be none.",
      "Exit status: 0 committed (or nothing to recover), 1 the commit failed (the spool is kept),",
      "2 bad arguments or SPOOL is not a spool, 3 a mount is using SPOOL.",
    })
public final class RecoverCommand implements Callable<Integer> {
  static final int FAILED = 1;
  static final int NOT_A_SPOOL = 2;
  static final int IN_USE = 3;

  @Parameters(index = "0", paramLabel = "SPOOL", description = "The spool directory of the mount (it printed it at start).")
  Path spoolDir;

  @Option(names = "--gateway", paramLabel = "URL", description = "Commit through this gateway instead of the one SPOOL/owner names.")
  URI gateway;

  @Option(names = "--token-file", paramLabel = "FILE", description = "File holding the bearer token for writes.")
  Path tokenFile;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    Path spool = spoolDir.toAbsolutePath().normalize();
    if (!Files.isDirectory(spool) || !Files.isDirectory(spool.resolve("buffers"))) {
      err.println("keepfs recover: " + spool + " is not a keepfs spool (it has no buffers/ directory)");
      return NOT_A_SPOOL;
    }
    Optional<String> token;
    try {
      token = Optional.ofNullable(tokenFile).map(TokenFile::read);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    try (SpoolLock lock = SpoolLock.acquire(spool)) {
      if (!new Spool(spool).hasSnapshot()) {
        out.println("keepfs recover: nothing to recover in " + spool + ": the last commit carried everything");
        return 0;
      }
      Optional<SpoolLock.Owner> owner = SpoolLock.readOwner(spool);
      URI url = gateway != null ? gateway : owner.map(SpoolLock.Owner::gateway).orElse(null);
      if (url == null) {
        err.println("keepfs recover: " + spool + " does not record its gateway (no owner file): give --gateway URL");
        return NOT_A_SPOOL;
      }
      String name = new Spool(spool).read().name();
      try (CollectionWriter w = CollectionWriter.recover(WriterSettings.of(url, token, name, spool))) {
        Committer.Result r = w.commit();
        out.println("keepfs recover: committed collection '" + name + "' at " + url + " as " + r.pdh()
            + (r.conflicts().isEmpty() ? "" : " (conflicting versions saved as " + r.conflicts() + ")"));
        return 0;
      } catch (IOException | RuntimeException e) {
        err.println("keepfs recover: the commit of collection '" + name + "' through " + url + " failed: " + e.getMessage()
            + ". The spool " + spool + " is kept; run this again when the gateway is back.");
        return FAILED;
      }
    } catch (SpoolLock.InUseException e) {
      err.println("keepfs recover: " + e.getMessage());
      return IN_USE;
    } catch (IOException e) {
      err.println("keepfs recover: " + e.getMessage());
      return FAILED;
    }
  }

}
