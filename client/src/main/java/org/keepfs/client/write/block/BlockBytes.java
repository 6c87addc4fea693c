package org.keepfs.client.write.block;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/** The bytes of a buffer block, in native memory or in a spool file. Append-only: bytes never change once written. */
public interface BlockBytes {
  /** How many bytes have been appended. */
  long size();

  /** Appends all of {@code src}. */
  void append(ByteBuffer src) throws IOException;

  /** Copies bytes from {@code position} into {@code dst} until it is full. */
  void read(long position, ByteBuffer dst) throws IOException;

  /**
   * Hands every byte, in order, to {@code sink} as read-only buffers that are valid only during the
   * call; without a copy where the bytes are in memory (hashing, spilling).
   */
  void forEachBuffer(BufferSink sink) throws IOException;

  /** Writes every byte, in order, to {@code out}; may be called again (uploads are retried). */
  void writeTo(OutputStream out) throws IOException;

  /** Frees what the bytes hold (memory budget, spool file). */
  void release() throws IOException;

  /** Takes the bytes of {@link #forEachBuffer}, one buffer at a time. */
  @FunctionalInterface
  interface BufferSink {
    void accept(ByteBuffer bytes) throws IOException;
  }
}
