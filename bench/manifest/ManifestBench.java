import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.time.Clock;
import java.time.Duration;
import org.keepfs.manifest.Directory;
import org.keepfs.manifest.Manifest;
import org.keepfs.manifest.ManifestLocators;
import org.keepfs.manifest.PortableDataHash;
import org.keepfs.signature.BlobSigner;

/**
 * Parse + normalize + portable data hash of a large manifest, and the heap the parsed tree keeps.
 *
 * <p>Shape: DIRECTORIES streams of FILES_PER_DIRECTORY files each; file sizes uniform in
 * [1 byte, 2 MiB] (seeded), written one after another into 64 MiB blocks as a writer packs them, so a
 * file may span two blocks and a block may be listed by two streams. Names look like data files
 * ("sample_000123.fastq.gz") in directories "run-0001". With -Dshuffle=true each stream lists its files
 * in random order (the normalized text then differs from the input and the parser has to sort).
 */
public final class ManifestBench {
  static final int DIRECTORIES = Integer.getInteger("dirs", 1000);
  static final int FILES_PER_DIRECTORY = Integer.getInteger("filesPerDir", 256);
  static final int RUNS = Integer.getInteger("runs", 5);
  static final int WARMUP = Integer.getInteger("warmup", 5);
  static final long BLOCK = 1L << 26;
  static final long MAX_FILE = 2L << 20;
  /** Write each stream's file tokens in random order, so the parser has to sort names. */
  static final boolean SHUFFLE = Boolean.getBoolean("shuffle");

  public static void main(String[] args) throws Exception {
    long t0 = System.nanoTime();
    byte[] text = generate();
    int files = DIRECTORIES * FILES_PER_DIRECTORY;
    System.out.printf("manifest: %d files in %d directories, %,d bytes of text, generated in %d ms%n",
        files, DIRECTORIES, text.length, (System.nanoTime() - t0) / 1_000_000);

    Manifest check = Manifest.parse(text);
    System.out.printf("parsed: %d files, %d directories, %,d bytes of file data, %s%n",
        check.root().fileCount(), check.root().directoryCount(), check.root().totalBytes(), check.portableDataHash());
    System.out.println("normalized text equals the generated text: " + Arrays.equals(text, check.normalizedText()));
    check = null;

    long[] parse = new long[RUNS];
    long[] normalize = new long[RUNS];
    long[] pdh = new long[RUNS];
    long[] total = new long[RUNS];
    long[] totalCpu = new long[RUNS];
    long[] processCpu = new long[RUNS];
    long[] parseAllocated = new long[RUNS];
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    for (int i = -WARMUP; i < RUNS; i++) {
      long cpu = threads.getCurrentThreadCpuTime();
      long allCpu = os.getProcessCpuTime();
      long allocated = threads.getCurrentThreadAllocatedBytes();
      long a = System.nanoTime();
      Manifest m = Manifest.parse(text);
      long b = System.nanoTime();
      long parseBytes = threads.getCurrentThreadAllocatedBytes() - allocated;
      byte[] normalized = m.normalizedText();
      long c = System.nanoTime();
      PortableDataHash hash = PortableDataHash.ofText(normalized);
      long d = System.nanoTime();
      if (hash.size() != normalized.length) {
        throw new AssertionError("unexpected hash " + hash);
      }
      if (i >= 0) {
        parse[i] = b - a;
        normalize[i] = c - b;
        pdh[i] = d - c;
        total[i] = d - a;
        totalCpu[i] = threads.getCurrentThreadCpuTime() - cpu;
        processCpu[i] = os.getProcessCpuTime() - allCpu;
        parseAllocated[i] = parseBytes;
      }
    }
    System.out.printf("median of %d runs after %d warm-up runs:%n", RUNS, WARMUP);
    System.out.printf("  parse      %7.1f ms%n", median(parse));
    System.out.printf("  normalize  %7.1f ms%n", median(normalize));
    System.out.printf("  pdh        %7.1f ms%n", median(pdh));
    System.out.printf("  total      %7.1f ms   (runs: %s)%n", median(total), runs(total));
    System.out.printf("  CPU time of the benchmark thread %7.1f ms (runs: %s)%n", median(totalCpu), runs(totalCpu));
    System.out.printf("  CPU time of the whole JVM (GC and JIT included) %7.1f ms (runs: %s)%n",
        median(processCpu), runs(processCpu));
    System.out.printf("  allocated while parsing: %.1f MB (%.0f bytes per file)%n",
        median(parseAllocated), median(parseAllocated) * 1e6 / files); // median() divides by 1e6: bytes to MB
    System.out.printf("  load average while measuring: %s (%d processors)%n",
        Files.readString(Path.of("/proc/loadavg")).strip(), Runtime.getRuntime().availableProcessors());

    // Serving a manifest signs every locator token; storing one strips the signatures again.
    BlobSigner signer = new BlobSigner("bench-signing-key", Duration.ofDays(14), Clock.systemUTC());
    long[] sign = new long[RUNS];
    long[] strip = new long[RUNS];
    int locatorTokens = ManifestLocators.locators(text).size();
    for (int i = -WARMUP; i < RUNS; i++) {
      long a = threads.getCurrentThreadCpuTime();
      byte[] signed = signer.signManifest(text, "bench-token");
      long b = threads.getCurrentThreadCpuTime();
      byte[] stripped = ManifestLocators.withoutSignatures(signed);
      long c = threads.getCurrentThreadCpuTime();
      if (stripped.length != text.length) {
        throw new AssertionError("stripping did not give back the text");
      }
      if (i >= 0) {
        sign[i] = b - a;
        strip[i] = c - b;
      }
    }
    System.out.printf("signing the %d locator tokens: %.1f ms; stripping the signatures: %.1f ms"
            + " (medians of the benchmark thread's CPU time)%n",
        locatorTokens, median(sign), median(strip));

    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long before = settledHeap(memory);
    Manifest kept = Manifest.parse(text);
    long withText = settledHeap(memory) - before;
    Directory tree = kept.root();
    kept = null;
    long treeOnly = settledHeap(memory) - before;
    System.out.printf("retained heap: parsed manifest %,d bytes = %.1f bytes/file (tree %.1f + its source text %.1f)%n",
        withText, (double) withText / files, (double) treeOnly / files, (double) (withText - treeOnly) / files);
    System.out.printf("               tree alone %,d bytes = %.1f bytes/file%n", treeOnly, (double) treeOnly / files);
    if (tree.fileCount() != files) {
      throw new AssertionError("tree lost files");
    }
  }

  static byte[] generate() throws Exception {
    Random random = new Random(42);
    MessageDigest md5 = MessageDigest.getInstance("MD5");
    StringBuilder out = new StringBuilder(DIRECTORIES * FILES_PER_DIRECTORY * 40);
    long position = 0; // where the next file starts in the whole collection's byte sequence
    List<String> blocks = new ArrayList<>();
    int minBlocksPerStream = Integer.MAX_VALUE;
    int maxBlocksPerStream = 0;
    for (int d = 0; d < DIRECTORIES; d++) {
      long[] sizes = new long[FILES_PER_DIRECTORY];
      long dirBytes = 0;
      for (int f = 0; f < FILES_PER_DIRECTORY; f++) {
        sizes[f] = 1 + random.nextLong(MAX_FILE);
        dirBytes += sizes[f];
      }
      long firstBlock = position / BLOCK;
      long lastBlock = (position + dirBytes - 1) / BLOCK;
      out.append("./run-").append(String.format("%04d", d));
      for (long b = firstBlock; b <= lastBlock; b++) {
        while (blocks.size() <= b) {
          byte[] h = md5.digest(("block " + blocks.size()).getBytes(StandardCharsets.US_ASCII));
          blocks.add(HexFormat.of().formatHex(h) + "+" + BLOCK);
        }
        out.append(' ').append(blocks.get((int) b));
      }
      minBlocksPerStream = Math.min(minBlocksPerStream, (int) (lastBlock - firstBlock + 1));
      maxBlocksPerStream = Math.max(maxBlocksPerStream, (int) (lastBlock - firstBlock + 1));
      long streamStart = firstBlock * BLOCK;
      List<String> tokens = new ArrayList<>(FILES_PER_DIRECTORY);
      for (int f = 0; f < FILES_PER_DIRECTORY; f++) {
        tokens.add(" " + (position - streamStart) + ":" + sizes[f]
            + ":sample_" + String.format("%06d", d * FILES_PER_DIRECTORY + f) + ".fastq.gz");
        position += sizes[f];
      }
      if (SHUFFLE) {
        Collections.shuffle(tokens, random);
      }
      tokens.forEach(out::append);
      out.append('\n');
    }
    System.out.printf("blocks: %d of 64 MiB, %d to %d per stream%n", blocks.size(), minBlocksPerStream, maxBlocksPerStream);
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  static long settledHeap(MemoryMXBean memory) throws InterruptedException {
    long last = Long.MAX_VALUE;
    for (int i = 0; i < 10; i++) {
      System.gc();
      Thread.sleep(50);
      long used = memory.getHeapMemoryUsage().getUsed();
      if (Math.abs(last - used) < 4096) {
        return used;
      }
      last = used;
    }
    return last;
  }

  static double median(long[] nanos) {
    long[] s = nanos.clone();
    Arrays.sort(s);
    double mid = s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2.0;
    return mid / 1e6;
  }

  static String runs(long[] nanos) {
    StringBuilder sb = new StringBuilder();
    for (long n : nanos) {
      sb.append(sb.isEmpty() ? "" : ", ").append(n / 1_000_000);
    }
    return sb.append(" ms").toString();
  }
}
