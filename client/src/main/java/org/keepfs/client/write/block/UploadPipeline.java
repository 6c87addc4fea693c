package org.keepfs.client.write.block;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.keepfs.locator.Locator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hashes and uploads sealed buffer blocks on a few worker threads. At most {@code maxInFlight} blocks
 * are queued or uploading; {@link #submit} waits for a free place, so a writer faster than the
 * network slows down instead of filling memory. Hashing runs on the workers, so the MD5 of one block
 * overlaps the filling of the next and the upload of the one before.
 *
 * <p>A block whose upload fails (after the uploader's own retries) stays FAILED with its bytes in the
 * spool, is logged as an error naming the spool file, and is queued again by {@link #retryFailed}.
 */
public final class UploadPipeline implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(UploadPipeline.class);

  private final BlockUploader uploader;
  private final Semaphore places;
  private final int maxInFlight;
  private final ExecutorService workers;
  private final Consumer<BufferBlock> onUploaded;
  private final Set<BufferBlock> failed = ConcurrentHashMap.newKeySet();

  /**
   * @param parallelism worker threads (hash + upload)
   * @param maxInFlight blocks queued or uploading at most
   * @param onUploaded told of each block once Keep has it, before its bytes are freed (the spool journal records it)
   */
  public UploadPipeline(BlockUploader uploader, int parallelism, int maxInFlight, Consumer<BufferBlock> onUploaded) {
    if (parallelism < 1 || maxInFlight < 1) {
      throw new IllegalArgumentException("parallelism and maxInFlight must be at least 1, got " + parallelism + " and " + maxInFlight);
    }
    this.uploader = uploader;
    this.places = new Semaphore(maxInFlight);
    this.maxInFlight = maxInFlight;
    this.onUploaded = onUploaded;
    this.workers = Executors.newFixedThreadPool(parallelism, r -> {
      Thread t = new Thread(r, "keepfs-upload");
      t.setDaemon(true);
      return t;
    });
  }

  /** Seals {@code block} and queues it; waits while {@code maxInFlight} blocks are already queued. */
  public void submit(BufferBlock block) throws InterruptedIOException {
    try {
      places.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting to queue buffer block " + block.id());
    }
    BlockBytes bytes = block.seal();
    failed.remove(block);
    try {
      workers.execute(() -> upload(block, bytes));
    } catch (RuntimeException e) {
      places.release();
      block.failed(new IOException("the upload pipeline is closed", e));
      throw e;
    }
  }

  /** Blocks queued or uploading now. */
  public int inFlight() {
    return maxInFlight - places.availablePermits();
  }

  /** Queues again every block whose upload failed; returns how many. */
  public int retryFailed() throws InterruptedIOException {
    int n = 0;
    for (BufferBlock b : Set.copyOf(failed)) {
      if (b.state() == BufferBlock.State.FAILED && b.spoolBytes().isPresent()) {
        submit(b);
        n++;
      }
    }
    return n;
  }

  /** Takes a block recovered from the spool: it is uploaded by the next {@link #retryFailed}. */
  public void adopt(BufferBlock recovered) {
    failed.add(recovered);
  }

  /** Blocks waiting for a successful upload. */
  public int failedCount() {
    return failed.size();
  }

  private void upload(BufferBlock block, BlockBytes bytes) {
    try {
      Locator unsigned = Locator.of(md5(bytes), bytes.size());
      Locator stored = uploader.put(unsigned, bytes);
      if (!stored.hash().equals(unsigned.hash()) || stored.size() != unsigned.size()) {
        throw new IOException("the store answered " + stored.hashAndSize() + " for block " + unsigned.hashAndSize());
      }
      block.uploaded(stored);
      onUploaded.accept(block); // recorded before the spool file goes, so a snapshot naming it stays recoverable
      block.freeBytes();
    } catch (IOException | RuntimeException | Error e) {
      // Even an Error (out of memory) must leave the block FAILED, or a commit would wait for it forever.
      IOException failure = e instanceof IOException io ? io : new IOException(e.toString(), e);
      block.failed(failure);
      failed.add(block);
      LOG.error("UPLOAD FAILED: buffer block {} ({} bytes) is not in Keep: {}. Its data is kept in {} and will be "
          + "uploaded again at the next commit; nothing is dropped.", block.id(), bytes.size(), failure.getMessage(),
          block.spoolBytes().map(s -> s.file().toString()).orElse("memory"));
    } finally {
      places.release();
    }
  }

  /** The MD5 of a block's bytes as 32 lower-case hex digits. */
  public static String md5(BlockBytes bytes) throws IOException {
    MessageDigest md5;
    try {
      md5 = MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no MD5", e);
    }
    bytes.forEachBuffer(md5::update);
    return HexFormat.of().formatHex(md5.digest());
  }

  /** Stops the workers after the queued uploads finish (waiting at most a minute). */
  @Override
  public void close() {
    workers.shutdown();
    try {
      if (!workers.awaitTermination(60, TimeUnit.SECONDS)) {
        LOG.error("uploads still running after a minute; stopping them");
        workers.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      workers.shutdownNow();
    }
  }
}
