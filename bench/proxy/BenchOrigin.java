import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.keepfs.gateway.export.ExportSettings;
import org.keepfs.gateway.export.PosixExportTree;
import org.keepfs.gateway.keep.KeepAccess;
import org.keepfs.gateway.keep.KeepBlockHandler;
import org.keepfs.gateway.server.GatewayServer;
import org.keepfs.gateway.tree.CompositeTree;
import org.keepfs.locator.Locator;
import org.keepfs.store.StoreChain;
import org.keepfs.store.local.LocalDirectoryBlockStore;

/**
 * The origin of bench/proxy/run: a gateway serving EXPORT_DIR as the fs123 export /data and the files of
 * BLOCK_FILES_DIR as Keep blocks under /keep/ (the same assembly as the proxy tests), on a free port.
 * Writes the port to PORT_FILE and one locator per line to LOCATOR_FILE, then serves until killed.
 *
 * Usage: java -cp CLASSPATH BenchOrigin.java EXPORT_DIR BLOCK_FILES_DIR STORE_DIR PORT_FILE LOCATOR_FILE
 */
public class BenchOrigin {
  public static void main(String[] args) throws Exception {
    Path export = Path.of(args[0]);
    Path blockFiles = Path.of(args[1]);
    LocalDirectoryBlockStore blocks = new LocalDirectoryBlockStore("local", Files.createDirectories(Path.of(args[2])));
    List<String> locators = new ArrayList<>();
    try (var files = Files.list(blockFiles)) {
      for (Path f : files.sorted().toList()) {
        Locator l = Locator.of(md5(f), Files.size(f));
        blocks.put(l, f);
        locators.add(l.toString());
      }
    }
    ExportSettings settings = ExportSettings.defaults();
    Instant now = Instant.now();
    CompositeTree root = new CompositeTree(Map.of("data", new PosixExportTree("data", export, settings)),
        settings.defaultCacheControl(), now.getEpochSecond() * 1_000_000_000L + now.getNano());
    StoreChain chain = new StoreChain(List.of(blocks), List.of(blocks), Optional.empty(), blocks.tmpDir());
    GatewayServer server = GatewayServer.builder()
        .listen(new InetSocketAddress("127.0.0.1", 0))
        .tree(root)
        .mount("/keep", new KeepBlockHandler(chain, KeepAccess.readOnlyOpen()))
        .meterRegistry(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
        .build();
    server.start();
    Files.write(Path.of(args[4]), locators);
    Files.writeString(Path.of(args[3]), server.port() + "\n");
    server.join();
  }

  private static String md5(Path file) throws Exception {
    MessageDigest md5 = MessageDigest.getInstance("MD5");
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[1 << 20];
      for (int n; (n = in.read(buf)) > 0; ) {
        md5.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(md5.digest());
  }
}
