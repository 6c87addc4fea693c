package org.keepfs.gateway.cli;

import java.util.concurrent.atomic.AtomicBoolean;
import org.keepfs.gateway.server.GatewayServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A started gateway; closing it stops the server, closes the stores and removes the pid and port files. */
public final class Serving implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Serving.class);

  private final GatewayServer server;
  private final GatewayAssembly assembly;
  private final ProcessOptions process;
  private final AtomicBoolean closed = new AtomicBoolean();

  Serving(GatewayServer server, GatewayAssembly assembly, ProcessOptions process) {
    this.server = server;
    this.assembly = assembly;
    this.process = process;
  }

  public GatewayServer server() {
    return server;
  }

  /** Safe to call more than once (the shutdown hook and a test may both do it). */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      server.close();
    } catch (Exception e) {
      LOG.warn("stopping the server: {}", e.toString());
    }
    assembly.close();
    RunFiles.delete(process.portfile);
    RunFiles.delete(process.pidfile);
  }
}
