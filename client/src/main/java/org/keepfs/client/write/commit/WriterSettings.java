package org.keepfs.client.write.commit;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import org.keepfs.client.write.block.MemoryBudget;
import org.keepfs.client.write.http.RetryPolicy;

/**
 * How a {@link CollectionWriter} writes.
 *
 * @param gateway the gateway's base URL
 * @param token the bearer token for writes
 * @param collection the collection's name
 * @param spoolDir this writer's spool (one per collection and mount)
 * @param memoryLimit bytes of (native) memory buffers may hold before they spill to the spool
 * @param uploadThreads threads that hash and upload full blocks in parallel
 * @param uploadsInFlight blocks queued or uploading at most (back-pressure beyond)
 * @param retry retries of every request to the gateway
 * @param clock time for conflict names and the idle commit
 */
public record WriterSettings(URI gateway, Optional<String> token, String collection, Path spoolDir, long memoryLimit,
    int uploadThreads, int uploadsInFlight, RetryPolicy retry, Clock clock) {
  public WriterSettings {
    Objects.requireNonNull(gateway, "gateway");
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(collection, "collection");
    Objects.requireNonNull(spoolDir, "spoolDir");
    Objects.requireNonNull(retry, "retry");
    Objects.requireNonNull(clock, "clock");
    if (collection.isEmpty()) {
      throw new IllegalArgumentException("the collection name must not be empty");
    }
  }

  /** Defaults: 256 MiB of memory, 3 upload threads, 3 blocks in flight (3 sealed + 1 filling fit the default limit, so nothing spills), standard retries, the UTC clock. */
  public static WriterSettings of(URI gateway, Optional<String> token, String collection, Path spoolDir) {
    return new WriterSettings(gateway, token, collection, spoolDir, MemoryBudget.DEFAULT_LIMIT, 3, 3,
        RetryPolicy.standard(), Clock.systemUTC());
  }

  public WriterSettings withMemoryLimit(long bytes) {
    return new WriterSettings(gateway, token, collection, spoolDir, bytes, uploadThreads, uploadsInFlight, retry, clock);
  }

  public WriterSettings withRetry(RetryPolicy r) {
    return new WriterSettings(gateway, token, collection, spoolDir, memoryLimit, uploadThreads, uploadsInFlight, r, clock);
  }

  public WriterSettings withClock(Clock c) {
    return new WriterSettings(gateway, token, collection, spoolDir, memoryLimit, uploadThreads, uploadsInFlight, retry, c);
  }

  public WriterSettings withUploads(int threads, int inFlight) {
    return new WriterSettings(gateway, token, collection, spoolDir, memoryLimit, threads, inFlight, retry, clock);
  }
}
