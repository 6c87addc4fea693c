package org.keepfs.gateway.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** How the gateway process presents itself to its supervisor. */
public final class ProcessOptions {
  @Option(names = "--pidfile", paramLabel = "FILE",
      description = "Write the process id here once serving; removed on clean shutdown.")
  Path pidfile;

  @Option(names = "--portfile", paramLabel = "FILE",
      description = "Write the bound port here once serving (useful with port 0); removed on clean shutdown.")
  Path portfile;

  @Option(names = "--access-log", paramLabel = "FILE",
      description = "Append one line per request here; SIGHUP or SIGUSR1 reopens it (for log rotation).")
  Path accessLog;
}
