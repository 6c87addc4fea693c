package org.keepfs.client.write;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.keepfs.client.fs.OpenFlags;
import org.keepfs.client.write.block.BlockReader;
import org.keepfs.client.write.block.BlockUploader;
import org.keepfs.client.write.block.BufferAllocator;
import org.keepfs.client.write.block.MemoryBlockStore;
import org.keepfs.client.write.block.MemoryBudget;
import org.keepfs.client.write.block.UploadPipeline;
import org.keepfs.manifest.Manifest;

/** A writer context over a block store, with helpers that read and write whole files by path. */
final class WriterFixture implements AutoCloseable {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T14:05:09Z"), ZoneOffset.UTC);
  static final OpenFlags READ = OpenFlags.READ_ONLY;
  static final OpenFlags WRITE = new OpenFlags(OpenFlags.Access.WRITE, false, false, false, false);
  static final OpenFlags WRITE_TRUNC = new OpenFlags(OpenFlags.Access.WRITE, true, false, false, false);
  static final OpenFlags READ_WRITE = new OpenFlags(OpenFlags.Access.READ_WRITE, false, false, false, false);
  static final OpenFlags APPEND = new OpenFlags(OpenFlags.Access.WRITE, false, true, false, false);
  static final OpenFlags EXCLUSIVE = new OpenFlags(OpenFlags.Access.WRITE, false, false, true, false);

  final MemoryBlockStore store = new MemoryBlockStore();
  final MemoryBudget budget;
  final BufferAllocator allocator;
  final UploadPipeline pipeline;
  final WriterContext ctx;

  WriterFixture(Path spool) throws IOException {
    this(spool, MemoryBudget.DEFAULT_LIMIT, null, null);
  }

  WriterFixture(Path spool, long memoryLimit, BlockUploader uploader, BlockReader reader) throws IOException {
    budget = new MemoryBudget(memoryLimit);
    allocator = new BufferAllocator(budget, spool, 1);
    pipeline = new UploadPipeline(uploader != null ? uploader : store, 2, 4, b -> {});
    ctx = new WriterContext(allocator, pipeline, reader != null ? reader : store, CLOCK);
  }

  static void write(WritableCollection c, String path, String text, OpenFlags flags) throws IOException {
    try (FileHandle h = c.open(path, flags, true)) {
      h.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), 0);
    }
  }

  static void writeAt(WritableCollection c, String path, long offset, byte[] data) throws IOException {
    try (FileHandle h = c.open(path, READ_WRITE, true)) {
      h.write(ByteBuffer.wrap(data), offset);
    }
  }

  static byte[] readAll(WritableCollection c, String path) throws IOException {
    try (FileHandle h = c.open(path, READ, false)) {
      ByteBuffer b = ByteBuffer.allocate((int) h.size());
      while (b.hasRemaining() && h.read(b, b.position()) > 0) {
        // keep reading
      }
      return b.array();
    }
  }

  static String read(WritableCollection c, String path) throws IOException {
    return new String(readAll(c, path), StandardCharsets.UTF_8);
  }

  /** Packs, uploads and gives the normalized manifest text the tree would commit. */
  static String manifest(WritableCollection c) throws IOException {
    return new String(Manifest.of(c.capture(true).resolve()).text(), StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    pipeline.close();
    budget.close();
  }
}
