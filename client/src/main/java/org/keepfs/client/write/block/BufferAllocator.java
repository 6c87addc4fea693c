package org.keepfs.client.write.block;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes buffer blocks: in memory while the {@link MemoryBudget} lasts, otherwise (and when made
 * durable) in {@code <spool>/buffers/<id>}. Ids are unique within one spool.
 */
public final class BufferAllocator {
  private final MemoryBudget budget;
  private final Path buffersDir;
  private final AtomicLong nextId;

  /** @param firstId the first id to hand out (recovery continues after the ids it found) */
  public BufferAllocator(MemoryBudget budget, Path spoolDir, long firstId) throws IOException {
    this.budget = budget;
    this.buffersDir = Files.createDirectories(spoolDir.resolve("buffers"));
    this.nextId = new AtomicLong(firstId);
  }

  /** The spool file of buffer {@code id}. */
  public static Path bufferFile(Path spoolDir, long id) {
    return spoolDir.resolve("buffers").resolve(Long.toString(id));
  }

  /** A new writable buffer block. */
  public BufferBlock allocate() {
    return new BufferBlock(nextId.getAndIncrement(), this, new NativeBytes(budget));
  }

  /** A sealed buffer block over recovered spool bytes. */
  public BufferBlock recovered(long id, SpoolBytes bytes) {
    nextId.accumulateAndGet(id + 1, Math::max);
    return BufferBlock.recovered(id, this, bytes);
  }

  SpoolBytes spoolFile(long id) {
    try {
      return SpoolBytes.create(buffersDir.resolve(Long.toString(id)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a spool file in " + buffersDir + ": " + e.getMessage(), e);
    }
  }

  public MemoryBudget budget() {
    return budget;
  }

  public Path buffersDir() {
    return buffersDir;
  }
}
