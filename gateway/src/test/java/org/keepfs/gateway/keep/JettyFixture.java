package org.keepfs.gateway.keep;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** A plain Jetty server on 127.0.0.1 and a free port, serving handlers at path prefixes. */
public final class JettyFixture implements AutoCloseable {
  private final Server server;
  private final ServerConnector connector;
  private final URI uri;

  private JettyFixture(Server server, ServerConnector connector, URI uri) {
    this.server = server;
    this.connector = connector;
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
    return new JettyFixture(server, connector, URI.create("http://127.0.0.1:" + connector.getLocalPort()));
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

  /** The server side of the connections open now. */
  public List<Connection> connections() {
    return connector.getConnectedEndPoints().stream().map(EndPoint::getConnection).toList();
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
