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
 * The upload path of a Keep PUT without HTTP: a 64 MiB block fed to BlockSpool in direct-buffer chunks
 * of CHUNK bytes (default 256 KiB: what the Keep handler has Jetty read per system call), hashed,
 * written and forced. Prints, per round, MB/s and the process's CPU
 * seconds per GB, then the medians. DIR decides the disk: a real one includes the fsync, /dev/shm
 * leaves only hashing, copying and hand-offs.
 * Run: java -cp deploy/target/keepfs-all.jar bench/keep/SpoolBench.java DIR [ROUNDS] [CHUNK]
 */
public class SpoolBench {
  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory(Path.of(args[0]), "spool-bench");
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
    int chunk = args.length > 2 ? Integer.parseInt(args[2]) : 256 << 10;
    byte[] body = new byte[64 << 20];
    new Random(1).nextBytes(body);
    // Jetty reads the network into direct buffers; the spool sees slices of those.
    ByteBuffer network = ByteBuffer.allocateDirect(body.length).put(body).flip();
    String hash = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body));
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    // MD5 alone over the same bytes in 1 MiB slices: the floor for the spool's CPU per GB.
    for (int r = 0; r < 3; r++) {
      long c0 = os.getProcessCpuTime();
      long t0 = System.nanoTime();
      MessageDigest md5 = MessageDigest.getInstance("MD5");
      for (int at = 0; at < body.length; at += 1 << 20) {
        md5.update(body, at, 1 << 20);
      }
      md5.digest();
      System.out.printf("MD5 alone: %.0f MB/s, %.2f s CPU per GB%n", body.length / ((System.nanoTime() - t0) / 1e9) / 1e6,
          (os.getProcessCpuTime() - c0) / 1e9 / (body.length / 1e9));
    }
    double[] rates = new double[rounds];
    double[] cpu = new double[rounds];
    long cpuStart = os.getProcessCpuTime();
    for (int r = 0; r < rounds; r++) {
      long c0 = os.getProcessCpuTime();
      long t0 = System.nanoTime();
      try (BlockSpool spool = BlockSpool.open(dir, hash, body.length)) {
        for (int at = 0; at < body.length; at += chunk) {
          spool.write(network.slice(at, Math.min(chunk, body.length - at)));
        }
        spool.finish();
      }
      rates[r] = body.length / ((System.nanoTime() - t0) / 1e9) / 1e6;
      cpu[r] = (os.getProcessCpuTime() - c0) / 1e9 / (body.length / 1e9);
      System.out.printf("round %d: %.0f MB/s, %.2f s CPU per GB%n", r + 1, rates[r], cpu[r]);
    }
    // One round's CPU time is a few ticks of the clock the kernel counts it in; the total is finer.
    double cpuAll = (os.getProcessCpuTime() - cpuStart) / 1e9 / ((double) rounds * body.length / 1e9);
    Files.delete(dir);
    java.util.Arrays.sort(rates);
    java.util.Arrays.sort(cpu);
    System.out.printf("median: %.0f MB/s, %.2f s CPU per GB (all rounds: %.2f s per GB; load %s)%n",
        rates[rounds / 2], cpu[rounds / 2], cpuAll,
        Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
  }
}
