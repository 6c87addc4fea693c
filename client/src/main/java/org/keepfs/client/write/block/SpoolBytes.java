package org.keepfs.client.write.block;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Buffer bytes in a file of the spool directory: used past the memory limit, and for what fsync made durable. */
public final class SpoolBytes implements BlockBytes {
  /** Bytes read at a time for {@link #forEachBuffer} (a heap buffer under G1's humongous size). */
  private static final int READ_SIZE = 256 << 10;

  private final Path file;
  private final FileChannel channel;
  private long size;

  private SpoolBytes(Path file, FileChannel channel, long size) {
    this.file = file;
    this.channel = channel;
    this.size = size;
  }

  /** A new, empty spool file (replacing any left by an earlier run with the same name). */
  static SpoolBytes create(Path file) throws IOException {
    FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.READ, StandardOpenOption.WRITE);
    return new SpoolBytes(file, ch, 0);
  }

  /** The first {@code size} bytes of an existing spool file, as recovery finds it. */
  public static SpoolBytes reopen(Path file, long size) throws IOException {
    FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
    if (ch.size() < size) {
      long actual = ch.size();
      ch.close();
      throw new IOException("spool file " + file + " holds " + actual + " bytes but the journal says " + size
          + " were made durable");
    }
    return new SpoolBytes(file, ch, size);
  }

  public Path file() {
    return file;
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public void append(ByteBuffer src) throws IOException {
    while (src.hasRemaining()) {
      size += channel.write(src, size);
    }
  }

  @Override
  public void read(long position, ByteBuffer dst) throws IOException {
    long p = position;
    while (dst.hasRemaining()) {
      int n = channel.read(dst, p);
      if (n < 0) {
        throw new IOException("spool file " + file + " ends at " + p + ", before the " + size + " bytes it should hold");
      }
      p += n;
    }
  }

  @Override
  public void forEachBuffer(BufferSink sink) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(READ_SIZE);
    for (long p = 0; p < size; ) {
      b.clear().limit((int) Math.min(READ_SIZE, size - p));
      read(p, b);
      b.flip();
      p += b.remaining();
      sink.accept(b.asReadOnlyBuffer());
    }
  }

  @Override
  public void writeTo(OutputStream out) throws IOException {
    long p = 0;
    var target = Channels.newChannel(out);
    while (p < size) {
      p += channel.transferTo(p, size - p, target);
    }
  }

  /** Makes the bytes durable. */
  void force() throws IOException {
    channel.force(false);
  }

  @Override
  public void release() throws IOException {
    channel.close();
    Files.deleteIfExists(file);
  }
}
