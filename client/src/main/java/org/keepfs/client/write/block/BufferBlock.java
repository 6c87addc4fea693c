package org.keepfs.client.write.block;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import org.keepfs.locator.Locator;

/**
 * A block being written: bytes appended by one file (WRITABLE), then queued for hashing and upload
 * (SEALED), then in Keep (UPLOADED, its bytes freed) or not (FAILED, its bytes kept in the spool for
 * the next attempt). Bytes never change once appended, so a sealed block can be hashed without a lock.
 *
 * <p>Lock: the block's monitor guards its state and bytes; it is the innermost lock of the writer
 * (taken after the tree lock and a file's content lock, never before them).
 */
public final class BufferBlock implements BlockRef {
  public enum State { WRITABLE, SEALED, UPLOADED, FAILED }

  private final long id;
  private final BufferAllocator allocator;
  private BlockBytes bytes;
  private State state;
  private Locator locator;
  private IOException failure;

  BufferBlock(long id, BufferAllocator allocator, BlockBytes bytes) {
    this(id, allocator, bytes, State.WRITABLE);
  }

  private BufferBlock(long id, BufferAllocator allocator, BlockBytes bytes, State state) {
    this.id = id;
    this.allocator = allocator;
    this.bytes = bytes;
    this.state = state;
  }

  static BufferBlock recovered(long id, BufferAllocator allocator, SpoolBytes bytes) {
    return new BufferBlock(id, allocator, bytes, State.FAILED);
  }

  /** The block's number in its spool. */
  public long id() {
    return id;
  }

  @Override
  public synchronized long size() {
    return bytes != null ? bytes.size() : locator != null ? locator.size() : 0;
  }

  /** Room left before the block reaches Keep's 64 MiB limit. */
  public synchronized long room() {
    return Locator.MAX_BLOCK_SIZE - size();
  }

  public synchronized State state() {
    return state;
  }

  /** Appends all of {@code src} and returns the offset it starts at; spills to the spool past the memory limit. */
  public synchronized long append(ByteBuffer src) throws IOException {
    if (state != State.WRITABLE) {
      throw new IllegalStateException("buffer block " + id + " is " + state + ", not writable");
    }
    if (src.remaining() > room()) {
      throw new IllegalArgumentException(src.remaining() + " bytes do not fit the " + room() + " left in buffer block " + id);
    }
    long at = bytes.size();
    if (bytes instanceof NativeBytes memory) {
      if (memory.tryAppend(src)) {
        return at;
      }
      spill();
    }
    bytes.append(src);
    return at;
  }

  /**
   * Appends all of {@code src} in memory and returns the offset it starts at, or -1 with nothing appended
   * when the memory budget has no room (the caller may wait for uploads to free some, or {@link #append}
   * to spill). A block already in the spool appends there.
   */
  public synchronized long appendInMemory(ByteBuffer src) throws IOException {
    if (bytes instanceof NativeBytes memory && state == State.WRITABLE && src.remaining() <= room()) {
      long at = memory.size();
      return memory.tryAppend(src) ? at : -1;
    }
    return append(src);
  }

  /**
   * Copies bytes from {@code offset} into {@code dst} while the block still holds them.
   *
   * @return false when the block was uploaded and freed: read {@link #locator()} from Keep instead
   */
  public synchronized boolean readIfHeld(long offset, ByteBuffer dst) throws IOException {
    if (bytes == null) {
      return false;
    }
    bytes.read(offset, dst);
    return true;
  }

  /** The locator Keep gave the block, or null before it is uploaded. */
  public synchronized Locator locator() {
    return locator;
  }

  /** Waits until the block is uploaded and returns its locator; throws the upload's failure. */
  public synchronized Locator awaitUploaded() throws IOException {
    while (state == State.SEALED) {
      try {
        wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while waiting for buffer block " + id + " to upload");
      }
    }
    return switch (state) {
      case UPLOADED -> locator;
      case FAILED -> throw new IOException("buffer block " + id + " (" + bytes.size() + " bytes) is not in Keep: "
          + (failure == null ? "recovered from the spool, not uploaded yet" : failure.getMessage()), failure);
      default -> throw new IllegalStateException("buffer block " + id + " was never queued for upload");
    };
  }

  /** Makes the bytes durable: in Keep (waits for a queued upload) or in a forced spool file. */
  public void makeDurable() throws IOException {
    synchronized (this) {
      if (state == State.WRITABLE || state == State.FAILED) {
        if (bytes instanceof NativeBytes) {
          spill();
        }
        ((SpoolBytes) bytes).force();
        return;
      }
    }
    try {
      awaitUploaded();
    } catch (IOException e) {
      synchronized (this) {
        ((SpoolBytes) bytes).force(); // a failed upload has already spilled
      }
    }
  }

  /** The spool file holding the bytes, when they are in one. */
  public synchronized java.util.Optional<SpoolBytes> spoolBytes() {
    return bytes instanceof SpoolBytes s ? java.util.Optional.of(s) : java.util.Optional.empty();
  }

  /** Moves in-memory bytes to a spool file, freeing their share of the memory budget. */
  private void spill() throws IOException {
    SpoolBytes spooled = allocator.spoolFile(id);
    bytes.forEachBuffer(spooled::append);
    bytes.release();
    bytes = spooled;
  }

  // The pipeline's side.

  synchronized BlockBytes seal() {
    if (state == State.WRITABLE || state == State.FAILED) {
      state = State.SEALED;
      failure = null;
    }
    return bytes;
  }

  synchronized void uploaded(Locator stored) {
    locator = stored;
    state = State.UPLOADED;
    notifyAll();
  }

  /** Frees an uploaded block's bytes (reads go to Keep from now on). */
  synchronized void freeBytes() throws IOException {
    if (state == State.UPLOADED && bytes != null) {
      BlockBytes held = bytes;
      bytes = null;
      held.release();
    }
  }

  synchronized void failed(IOException e) {
    state = State.FAILED;
    failure = e;
    try {
      if (bytes instanceof NativeBytes) {
        spill();
      }
    } catch (IOException spillFailure) {
      e.addSuppressed(spillFailure);
    }
    notifyAll();
  }

  /** Frees the bytes of a block nothing refers to any more (an unlinked file's, or one repacked away). */
  public synchronized void discard() throws IOException {
    if (bytes != null && state != State.SEALED) {
      bytes.release();
      bytes = null;
      if (locator == null) {
        state = State.FAILED;
        failure = new IOException("buffer block " + id + " was discarded");
      }
    }
  }

  @Override
  public String toString() {
    return "BufferBlock[" + id + ", " + state + "]";
  }
}
