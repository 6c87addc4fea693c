package org.keepfs.gateway.cli;

import java.io.IOException;
import org.keepfs.gateway.server.AccessLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/** Reopens the access log on SIGHUP and SIGUSR1, so log rotation can move the file away. */
final class AccessLogSignals {
  private static final Logger LOG = LoggerFactory.getLogger(AccessLogSignals.class);
  private static final String[] SIGNALS = {"HUP", "USR1"};

  private AccessLogSignals() {}

  static void reopenOnSignals(AccessLog log) {
    for (String signal : SIGNALS) {
      try {
        Signal.handle(new Signal(signal), s -> {
          try {
            log.reopen();
          } catch (IOException e) {
            LOG.warn("cannot reopen the access log {}: {}", log.path(), e.getMessage());
          }
        });
      } catch (IllegalArgumentException e) {
        LOG.warn("SIG{} is not available to reopen the access log: {}", signal, e.getMessage());
      }
    }
  }
}
