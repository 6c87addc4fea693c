package org.keepfs.client.cli;

import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.keepfs.client.mount.ClientConfig;
import picocli.CommandLine;

/**
 * What {@code keepfs mount ARGS...} would run with, for tests outside this package: the command line
 * parsed by the real {@link MountCommand} and turned into its {@link ClientConfig}, and the command's
 * reading of the proxy environment variables.
 */
public final class MountCommandLine {
  private MountCommandLine() {}

  /** The client configuration of {@code keepfs mount ARGS...} (the environment's proxy applies without --proxy). */
  public static ClientConfig config(String... args) throws IOException {
    MountCommand command = new MountCommand();
    new CommandLine(command).parseArgs(args);
    return command.config();
  }

  /** The proxy {@code keepfs mount} takes from {@code env} for {@code gateway} when --proxy is not given. */
  public static Optional<URI> environmentProxy(URI gateway, Map<String, String> env) {
    return MountCommand.environmentProxy(gateway, env);
  }
}
