package org.keepfs.client.write.block;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.keepfs.locator.Locator;

/**
 * Blocks kept in a map: a complete Keep store for one process, used where a writer needs no server
 * (tools, benchmarks of the writer alone, tests of tree semantics). It checks each block's MD5 and
 * length as keepstore does.
 */
public final class MemoryBlockStore implements BlockUploader, BlockReader {
  private final Map<String, byte[]> blocks = new ConcurrentHashMap<>();
  private final AtomicLong puts = new AtomicLong();
  private final AtomicLong bytesPut = new AtomicLong();

  @Override
  public Locator put(Locator unsigned, BlockBytes data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream((int) data.size());
    data.writeTo(out);
    byte[] b = out.toByteArray();
    String actual = UploadPipeline.md5(new HeapCopy(b));
    if (!actual.equals(unsigned.hash()) || b.length != unsigned.size()) {
      throw new IOException("block " + unsigned.hashAndSize() + " has MD5 " + actual + " and " + b.length + " bytes");
    }
    blocks.put(unsigned.hashAndSize(), b);
    puts.incrementAndGet();
    bytesPut.addAndGet(b.length);
    return unsigned.withoutHints();
  }

  /** Stores {@code content} directly, as a block written by someone else. */
  public Locator add(byte[] content) throws IOException {
    return put(Locator.of(UploadPipeline.md5(new HeapCopy(content)), content.length), new HeapCopy(content));
  }

  @Override
  public void read(Locator block, long offset, ByteBuffer dst) throws IOException {
    byte[] b = blocks.get(block.hashAndSize());
    if (b == null) {
      throw new NoSuchFileException("no block " + block.hashAndSize());
    }
    dst.put(b, (int) offset, dst.remaining());
  }

  /** How many PUTs were accepted. */
  public long puts() {
    return puts.get();
  }

  /** How many bytes those PUTs carried. */
  public long bytesPut() {
    return bytesPut.get();
  }

  public boolean holds(Locator block) {
    return blocks.containsKey(block.hashAndSize());
  }

  /** A byte array seen as block bytes. */
  private record HeapCopy(byte[] content) implements BlockBytes {
    @Override
    public long size() {
      return content.length;
    }

    @Override
    public void append(ByteBuffer src) {
      throw new UnsupportedOperationException("a stored block does not grow");
    }

    @Override
    public void read(long position, ByteBuffer dst) {
      dst.put(content, (int) position, dst.remaining());
    }

    @Override
    public void forEachBuffer(BufferSink sink) throws IOException {
      sink.accept(ByteBuffer.wrap(content).asReadOnlyBuffer());
    }

    @Override
    public void writeTo(java.io.OutputStream out) throws IOException {
      out.write(content);
    }

    @Override
    public void release() {}
  }
}
