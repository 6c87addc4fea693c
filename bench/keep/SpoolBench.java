import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.keepfs.store.BlockSpool;

/**
 * The upload path of a Keep PUT without HTTP: a 64 MiB block fed to BlockSpool in 64 KiB chunks (the
 * size Jetty hands over), hashed, written and forced. Prints, per round, MB/s and the process's CPU
 * seconds per GB, then the medians. DIR decides the disk: a real one includes the fsync, /dev/shm
 * leaves only hashing, copying and hand-offs.
 * Run: java -cp deploy/target/keepfs-all.jar bench/keep/SpoolBench.java DIR [ROUNDS]
 */
public class SpoolBench {
  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory(Path.of(args[0]), "spool-bench");
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
    byte[] body = new byte[64 << 20];
    new Random(1).nextBytes(body);
    String hash = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body));
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    double[] rates = new double[rounds];
    double[] cpu = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      long c0 = os.getProcessCpuTime();
      long t0 = System.nanoTime();
      try (BlockSpool spool = BlockSpool.open(dir, hash, body.length)) {
        for (int at = 0; at < body.length; at += 65536) {
          spool.write(ByteBuffer.wrap(body, at, 65536));
        }
        spool.finish();
      }
      rates[r] = body.length / ((System.nanoTime() - t0) / 1e9) / 1e6;
      cpu[r] = (os.getProcessCpuTime() - c0) / 1e9 / (body.length / 1e9);
      System.out.printf("round %d: %.0f MB/s, %.2f s CPU per GB%n", r + 1, rates[r], cpu[r]);
    }
    Files.delete(dir);
    java.util.Arrays.sort(rates);
    java.util.Arrays.sort(cpu);
    System.out.printf("median: %.0f MB/s, %.2f s CPU per GB (load %s)%n", rates[rounds / 2], cpu[rounds / 2],
        Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
  }
}
