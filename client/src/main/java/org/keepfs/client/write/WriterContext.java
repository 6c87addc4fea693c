package org.keepfs.client.write;

import java.time.Clock;
import java.util.Objects;
import org.keepfs.client.write.block.BlockReader;
import org.keepfs.client.write.block.BufferAllocator;
import org.keepfs.client.write.block.UploadPipeline;

/** What files need to write and read: where buffers come from, where full ones go, how stored blocks are read. */
public record WriterContext(BufferAllocator allocator, UploadPipeline pipeline, BlockReader reader, Clock clock) {
  public WriterContext {
    Objects.requireNonNull(allocator, "allocator");
    Objects.requireNonNull(pipeline, "pipeline");
    Objects.requireNonNull(reader, "reader");
    Objects.requireNonNull(clock, "clock");
  }
}
