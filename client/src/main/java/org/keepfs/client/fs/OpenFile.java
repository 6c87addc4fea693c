package org.keepfs.client.fs;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * An open file: the handle through which its bytes are read and written. It stays usable after its
 * name is unlinked or renamed, until {@link #release}.
 *
 * <p>Reads and writes are positional and may run concurrently from several threads.
 */
public interface OpenFile {
  /**
   * Reads from {@code offset} into {@code dst} until {@code dst} is full or the file ends.
   *
   * @return the number of bytes read; fewer than {@code dst.remaining()} only at end of file
   */
  int read(ByteBuffer dst, long offset) throws IOException;

  /**
   * The bytes {@link #read} of {@code size} bytes at {@code offset} would return, as one region of an
   * open file descriptor the caller may send on without copying, then must close; empty when they are
   * not (all) in one such file, and the caller reads them instead.
   */
  default java.util.Optional<FileRegion> region(long offset, int size) throws IOException {
    return java.util.Optional.empty();
  }

  /**
   * Writes all of {@code src} at {@code offset} (at the end of the file when opened with append).
   *
   * @return the number of bytes written, which is all of them
   */
  int write(ByteBuffer src, long offset) throws IOException;

  /** The file's attributes through this handle (fstat), also after its name is gone. */
  TimedAttributes getattr() throws IOException;

  /** Sets the length of the file, through this handle. */
  void truncate(long size) throws IOException;

  /** Called at each close of a descriptor that refers to this handle. */
  default void flush() throws IOException {}

  /** Makes what was written durable; {@code dataOnly} means metadata may wait. */
  default void fsync(boolean dataOnly) throws IOException {}

  /** The last close: the handle is not used again. */
  void release() throws IOException;

  /** What a page cache should do with this file's cached pages, decided when it was opened. */
  default PageCache pageCache() {
    return PageCache.DROP;
  }
}
