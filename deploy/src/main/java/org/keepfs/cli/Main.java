package org.keepfs.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code keepfs} command: one entry point whose subcommands live with the module they drive. */
@Command(
    name = "keepfs",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description =
        "A network filesystem: a gateway that serves trees and content-addressed collections as"
            + " cacheable HTTP, and a FUSE client with a persistent cache that can write collections.",
    subcommands = {
      CommandLine.HelpCommand.class,
      ManifestCommand.class,
      org.keepfs.gateway.cli.GatewayCommand.class,
      org.keepfs.client.cli.MountCommand.class,
      UpCommand.class,
      org.keepfs.client.cli.UnmountCommand.class,
      org.keepfs.client.cli.RecoverCommand.class,
    })
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: try 'keepfs --help'.");
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command tree; tests call it to run commands in-process. */
  public static CommandLine commandLine() {
    return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
  }
}
