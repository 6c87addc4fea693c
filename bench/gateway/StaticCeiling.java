import java.nio.file.Path;
import java.util.concurrent.Executors;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The ceiling for the gateway benchmark: a plain Jetty 12 static-file handler (ResourceHandler, the
 * same Jetty version, thread setup and connector as the gateway) serving a directory.
 * Run: java -cp deploy/target/keepfs-all.jar bench/gateway/StaticCeiling.java DIR PORTFILE
 */
public class StaticCeiling {
  public static void main(String[] args) throws Exception {
    QueuedThreadPool threads = new QueuedThreadPool();
    threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
    Server server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ResourceHandler files = new ResourceHandler();
    files.setBaseResource(ResourceFactory.of(server).newResource(Path.of(args[0])));
    files.setDirAllowed(false);
    server.setHandler(files);
    server.start();
    java.nio.file.Files.writeString(Path.of(args[1]), connector.getLocalPort() + "\n");
    server.join();
  }
}
