import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.keepfs.client.fs.OpenFlags;
import org.keepfs.client.write.FileHandle;
import org.keepfs.client.write.commit.CollectionWriter;
import org.keepfs.client.write.commit.WriterSettings;
import org.keepfs.gateway.keep.KeepOptions;
import org.keepfs.gateway.keep.KeepService;
import org.keepfs.gateway.server.GatewayServer;
import picocli.CommandLine;

/**
 * Writes through the collection writer library to a gateway in the same JVM on loopback, then commits.
 * Modes (system property "mode"): single (2 GiB, one file, 1 MiB writes), parallel (4 writers x 512 MiB),
 * memory (4 GiB with a 256 MiB memory limit, peak heap and RSS sampled). Prints one line per run and
 * the median.
 */
public final class WriterBench {
  static final OpenFlags WRITE = new OpenFlags(OpenFlags.Access.WRITE, true, false, false, false);

  @CommandLine.Command(name = "gateway")
  static final class Options {
    @CommandLine.Mixin KeepOptions keep;
  }

  public static void main(String[] args) throws Exception {
    String mode = System.getProperty("mode", "single");
    int runs = Integer.getInteger("runs", 3);
    Path work = Path.of(System.getProperty("work", "/dev/shm/keepfs-writer-bench"));
    long memoryLimit = Long.getLong("memoryLimit", 256L << 20);
    deleteTree(work);
    Files.createDirectories(work);
    Path tokens = Files.writeString(work.resolve("tokens"), "bench\n");
    Options o = new Options();
    new CommandLine(o).setCaseInsensitiveEnumValuesAllowed(true)
        .parseArgs("--data", work.resolve("gateway").toString(), "--write-token-file", tokens.toString());
    try (KeepService service = KeepService.open(o.keep, Clock.systemUTC())) {
      GatewayServer.Builder b = GatewayServer.builder().listen(new InetSocketAddress("127.0.0.1", 0));
      for (KeepService.Route r : service.routes()) {
        b.mount(r.prefix(), r.handler());
      }
      try (GatewayServer server = b.build()) {
        server.start();
        URI uri = server.uri();
        List<Double> rates = new ArrayList<>();
        for (int run = 0; run <= runs; run++) { // run 0 warms up the JIT and is not counted
          Path spool = work.resolve("spool-" + run);
          WriterSettings s = WriterSettings.of(uri, Optional.of("bench"), mode + "-" + run, spool).withMemoryLimit(memoryLimit);
          double rate = switch (mode) {
            case "single" -> write(s, 1, run == 0 ? 256L << 20 : 2048L << 20);
            case "parallel" -> write(s, 4, run == 0 ? 64L << 20 : 512L << 20);
            case "memory" -> memory(s, run == 0 ? 256L << 20 : 4096L << 20);
            default -> throw new IllegalArgumentException("mode is single, parallel or memory, not " + mode);
          };
          if (run > 0) {
            rates.add(rate);
          }
          deleteTree(spool);
          deleteTree(work.resolve("gateway/blocks"));
        }
        double[] sorted = rates.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        System.out.printf("%s: median %.0f MB/s over %d runs %s%n", mode, sorted[sorted.length / 2], sorted.length,
            Arrays.toString(Arrays.stream(sorted).mapToLong(Math::round).toArray()));
      }
    }
    deleteTree(work);
  }

  /** {@code writers} threads each write {@code bytesEach} in 1 MiB writes to their own file, then one commit. */
  static double write(WriterSettings s, int writers, long bytesEach) throws Exception {
    long start = System.nanoTime();
    long cpuStart = cpuNanos();
    try (CollectionWriter w = CollectionWriter.open(s)) {
      ExecutorService pool = Executors.newFixedThreadPool(writers);
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < writers; i++) {
        int id = i;
        done.add(pool.submit(() -> {
          writeFile(w, "file" + id, bytesEach, id);
          return null;
        }));
      }
      try {
        for (Future<?> f : done) {
          f.get();
        }
      } finally {
        pool.shutdown();
      }
      w.commit();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    double cpu = (cpuNanos() - cpuStart) / 1e9;
    double rate = writers * bytesEach / 1e6 / seconds;
    System.out.printf("  %d x %d MiB then commit: %.2f s, %.0f MB/s; process CPU %.1f s (writer + gateway), %.0f MB per CPU-second%n",
        writers, bytesEach >> 20, seconds, rate, cpu, writers * bytesEach / 1e6 / cpu);
    return rate;
  }

  static void writeFile(CollectionWriter w, String name, long bytes, int seed) throws Exception {
    byte[] chunk = new byte[1 << 20];
    new Random(seed).nextBytes(chunk);
    ByteBuffer buf = ByteBuffer.wrap(chunk);
    try (FileHandle h = w.tree().open(name, WRITE, true)) {
      for (long off = 0; off < bytes; off += chunk.length) {
        chunk[0] = (byte) (off >> 20); // every MiB differs, so no two blocks are equal
        chunk[1] = (byte) (off >> 28);
        buf.clear();
        h.write(buf, off);
      }
    }
  }

  /** Writes {@code bytes} with the settings' memory limit while sampling heap use and RSS. */
  static double memory(WriterSettings s, long bytes) throws Exception {
    AtomicLong peakHeap = new AtomicLong();
    AtomicLong peakRss = new AtomicLong();
    Thread sampler = Thread.ofPlatform().daemon().start(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        long heap = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
          if (p.getType() == MemoryType.HEAP) {
            heap += p.getUsage().getUsed();
          }
        }
        peakHeap.accumulateAndGet(heap, Math::max);
        peakRss.accumulateAndGet(rss(), Math::max);
        try {
          Thread.sleep(10);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    double rate = write(s, 1, bytes);
    sampler.interrupt();
    sampler.join();
    System.out.printf("  memory limit %d MiB: peak heap used %d MiB, peak RSS (VmHWM, gateway in the same JVM) %d MiB, -Xmx %d MiB%n",
        s.memoryLimit() >> 20, peakHeap.get() >> 20, hwm() >> 20, Runtime.getRuntime().maxMemory() >> 20);
    return rate;
  }

  static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  static long rss() {
    return status("VmRSS:");
  }

  static long hwm() {
    return status("VmHWM:");
  }

  static long status(String key) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(key)) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (Exception e) {
      return -1;
    }
    return -1;
  }

  static void deleteTree(Path p) throws Exception {
    if (!Files.exists(p)) {
      return;
    }
    try (var walk = Files.walk(p)) {
      for (Path x : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(x);
      }
    }
  }
}
