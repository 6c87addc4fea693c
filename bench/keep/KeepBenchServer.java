import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Executors;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.keepfs.gateway.keep.KeepOptions;
import org.keepfs.gateway.keep.KeepService;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The Keep handlers on a plain Jetty 12 server with virtual threads, as the gateway runs them, for
 * benchmarks: {@code java -cp CLASSPATH KeepBenchServer.java --port-file F [keep options]}.
 */
@Command(name = "keep-bench-server")
public final class KeepBenchServer implements java.util.concurrent.Callable<Integer> {
  @Mixin KeepOptions keep;

  @Option(names = "--port-file", required = true, description = "Where to write the port once listening.")
  Path portFile;

  @Option(names = "--input-buffer-size", description = "Jetty's read buffer per connection (default: Jetty's own).")
  Integer inputBufferSize;

  public static void main(String[] args) {
    System.exit(new CommandLine(new KeepBenchServer()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    QueuedThreadPool threads = new QueuedThreadPool();
    threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
    Server server = new Server(threads);
    ServerConnector connector = new ServerConnector(server);
    if (inputBufferSize != null) {
      connector.getConnectionFactory(HttpConnectionFactory.class).setInputBufferSize(inputBufferSize);
    }
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    KeepService service = KeepService.open(keep, Clock.systemUTC());
    server.setHandler(new Handler.Sequence(service.routes().stream().map(KeepService.Route::handler).toArray(Handler[]::new)));
    server.start();
    Files.writeString(portFile, Integer.toString(connector.getLocalPort()));
    server.join();
    return 0;
  }
}
