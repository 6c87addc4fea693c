package org.keepfs.client.writable.tools;

import org.keepfs.client.cli.MountCommand;
import org.keepfs.client.cli.RecoverCommand;
import org.keepfs.client.cli.UnmountCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The client's commands in a JVM of their own, as {@code keepfs mount ...} runs them: the tests start
 * a writable mount as a separate process so they can kill it with SIGKILL and read its memory use.
 */
public final class ClientCommandsMain {
  private ClientCommandsMain() {}

  @Command(name = "keepfs", subcommands = {MountCommand.class, UnmountCommand.class, RecoverCommand.class})
  static final class Commands {}

  public static void main(String[] args) {
    System.exit(new CommandLine(new Commands()).execute(args));
  }
}
