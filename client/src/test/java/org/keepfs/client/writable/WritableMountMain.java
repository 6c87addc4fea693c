package org.keepfs.client.writable;

import org.keepfs.client.cli.MountCommand;
import picocli.CommandLine;

/** {@code keepfs mount} as a process of its own, for tests that kill the client. */
public final class WritableMountMain {
  private WritableMountMain() {}

  public static void main(String[] args) {
    System.exit(new CommandLine(new MountCommand()).execute(args));
  }
}
