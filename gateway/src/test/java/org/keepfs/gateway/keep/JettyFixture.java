package org.keepfs.gateway.keep;

import java.net.URI;
import java.util.Map;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** A plain Jetty server on 127.0.0.1 and a free port, serving handlers at path prefixes. */
public final class JettyFixture implements AutoCloseable {
  private final Server server;
  private final URI uri;

  private JettyFixture(Server server, URI uri) {
    this.server = server;
    this.uri = uri;
  }

  /**
   * Starts a server that offers each request to the handlers in turn; each handler answers only
   * paths under its own prefix (the map keys document which).
   */
  public static JettyFixture start(Map<String, Handler> routes) throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(new Handler.Sequence(routes.values().toArray(Handler[]::new)));
    server.start();
    return new JettyFixture(server, URI.create("http://127.0.0.1:" + connector.getLocalPort()));
  }

  public URI uri() {
    return uri;
  }

  public URI uri(String path) {
    return uri.resolve(path);
  }

  public int port() {
    return uri.getPort();
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
