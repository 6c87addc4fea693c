import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The ceilings for the gateway benchmark, with the same Jetty version, thread setup and connector as the
 * gateway: a plain Jetty 12 static-file handler (ResourceHandler) serving DIR, and, when FIXED_FILE and
 * FIXED_PORTFILE are given, a second server whose non-blocking handler answers every request with the
 * bytes of FIXED_FILE from memory (two pre-encoded headers, no file system, no routing): the least
 * work a Jetty reply can cost.
 * Run: java -cp deploy/target/keepfs-all.jar bench/gateway/StaticCeiling.java DIR PORTFILE [FIXED_FILE FIXED_PORTFILE]
 */
public class StaticCeiling {
  /** As the gateway (GatewayServer.selectorThreads): one selector per CPU, so both get the same threads. */
  private static final int SELECTORS = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), 8));

  public static void main(String[] args) throws Exception {
    QueuedThreadPool threads = new QueuedThreadPool();
    threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
    Server server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    ServerConnector connector = new ServerConnector(server, 1, SELECTORS, new HttpConnectionFactory(http));
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ResourceHandler files = new ResourceHandler();
    files.setBaseResource(ResourceFactory.of(server).newResource(Path.of(args[0])));
    files.setDirAllowed(false);
    server.setHandler(files);
    server.start();
    Server fixed = null;
    if (args.length >= 4) {
      fixed = fixedReplyServer(Files.readAllBytes(Path.of(args[2])), Path.of(args[3]));
    }
    Files.writeString(Path.of(args[1]), connector.getLocalPort() + "\n");
    server.join();
  }

  private static Server fixedReplyServer(byte[] body, Path portFile) throws Exception {
    QueuedThreadPool threads = new QueuedThreadPool();
    threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
    Server server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    ServerConnector connector = new ServerConnector(server, 1, SELECTORS, new HttpConnectionFactory(http));
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    HttpField type = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "application/octet-stream");
    HttpField length = new PreEncodedHttpField(HttpHeader.CONTENT_LENGTH, Integer.toString(body.length));
    server.setHandler(new Handler.Abstract.NonBlocking() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) {
        response.setStatus(200);
        response.getHeaders().add(type).add(length);
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
      }
    });
    server.start();
    Files.writeString(portFile, connector.getLocalPort() + "\n");
    return server;
  }
}
