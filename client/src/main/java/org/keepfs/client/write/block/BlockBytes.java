package org.keepfs.client.write.block;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/** The bytes of a buffer block, on the heap or in a spool file. Append-only: bytes never change once written. */
public interface BlockBytes {
  /** How many bytes have been appended. */
  long size();

  /** Appends all of {@code src}. */
  void append(ByteBuffer src) throws IOException;

  /** Copies bytes from {@code position} into {@code dst} until it is full. */
  void read(long position, ByteBuffer dst) throws IOException;

  /** Writes every byte, in order, to {@code out}; may be called again (uploads are retried). */
  void writeTo(OutputStream out) throws IOException;

  /** Frees what the bytes hold (memory budget, spool file). */
  void release() throws IOException;
}
