package org.keepfs.client.write.commit;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.keepfs.gateway.keep.KeepOptions;
import org.keepfs.gateway.keep.KeepService;
import org.keepfs.gateway.server.GatewayServer;
import picocli.CommandLine;

/** A real gateway (Keep blocks + collections API on a local data directory) on 127.0.0.1, restartable on its port. */
public final class GatewayFixture {
  public static final String TOKEN = "writer-token";

  @CommandLine.Command(name = "gateway")
  static final class Options {
    @CommandLine.Mixin KeepOptions keep;
  }

  private final KeepService service;
  private GatewayServer server;
  private int port;

  private GatewayFixture(KeepService service) {
    this.service = service;
  }

  public static GatewayFixture start(Path data) throws Exception {
    Files.createDirectories(data);
    Path tokens = Files.writeString(data.resolve("write-tokens"), TOKEN + "\n");
    Options o = new Options();
    new CommandLine(o).setCaseInsensitiveEnumValuesAllowed(true).parseArgs("--data", data.resolve("store").toString(), "--write-token-file", tokens.toString());
    GatewayFixture f = new GatewayFixture(KeepService.open(o.keep, Clock.systemUTC()));
    f.listen(0);
    return f;
  }

  private void listen(int p) throws Exception {
    GatewayServer.Builder b = GatewayServer.builder().listen(new InetSocketAddress("127.0.0.1", p)).stopTimeoutMillis(500);
    for (KeepService.Route r : service.routes()) {
      b.mount(r.prefix(), r.handler());
    }
    server = b.build();
    server.start();
    port = server.port();
  }

  public URI uri() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** Stops serving; connections are refused until {@link #restart}. */
  public void stop() throws Exception {
    try {
      server.close();
    } catch (java.util.concurrent.TimeoutException e) {
      // Idle keep-alive connections of the writer's pool outlast the graceful stop; Jetty stops anyway.
    }
  }

  /** Serves again on the same port. */
  public void restart() throws Exception {
    listen(port);
  }

  /** Stops the server and closes the stores. */
  public void close() throws Exception {
    try {
      stop();
    } finally {
      service.close();
    }
  }
}
