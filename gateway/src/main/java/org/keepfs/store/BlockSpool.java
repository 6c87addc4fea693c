package org.keepfs.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import org.keepfs.gateway.linux.LinuxFiles;
import org.keepfs.locator.Locator;
import org.keepfs.posix.Errno;
import org.keepfs.posix.ErrnoException;

/**
 * Receives an uploaded block into a temporary file, hashing each buffer as it is written, so the
 * block is read from the network once, hashed once and never held whole in the heap. {@link
 * #finish()} checks length and hash and forces the file to disk, once per block (the disk writing is
 * started every few MiB while the body arrives, without waiting); {@link #close()} deletes the file,
 * so a failed or abandoned upload leaves nothing behind.
 *
 * <p>Receiving, hashing and writing overlap: the receiving thread only copies network chunks into a
 * staging buffer; each full buffer is then hashed on one virtual thread and written on another at the
 * same time, while the receiver fills the next. Each of the two stages handles its buffers in order
 * (every step waits for the previous step of its own stage), and a buffer is filled again only once
 * both stages are done with it, so {@link #STAGING_BUFFERS} buffers bound the memory of an upload.
 */
public final class BlockSpool implements AutoCloseable {
  private final String expectedHash;
  private final long expectedLength;
  private final Path file;
  private final FileChannel channel;
  /** A second descriptor of the file for {@link LinuxFiles#startWriteBack}; -1 when it could not be opened. */
  private final int writeBackFd;
  private final MessageDigest md5 = Md5.newDigest();
  // Network chunks are small (a few KiB); staging them in arrays turns thousands of write calls into a
  // few, and lets MD5 run over 1 MiB arrays: MessageDigest.update(ByteBuffer) on a direct or read-only
  // buffer copies through a 4 KiB array and measured several times slower than MD5 itself.
  private final byte[][] stagingArrays = new byte[STAGING_BUFFERS][STAGING_BYTES];
  /** When each staging array is free again: both stages are done with what it last held. */
  @SuppressWarnings("unchecked")
  private final CompletableFuture<Void>[] released = new CompletableFuture[STAGING_BUFFERS];
  private int current;
  private ByteBuffer staging;
  /** The last step of each stage; the next step of a stage starts when its previous one is done. */
  private CompletableFuture<Void> hashed = CompletableFuture.completedFuture(null);
  private CompletableFuture<Void> written = CompletableFuture.completedFuture(null);
  private long received;
  // Touched only by the write stage's steps, which run one after another.
  private final ByteBuffer writeBuffer = ByteBuffer.allocateDirect(STAGING_BYTES);
  private long onDisk;
  private long writeBackFrom;

  private static final int STAGING_BYTES = 1 << 20;
  /** One being filled, one being hashed and written, one to spare for the slower stage. */
  private static final int STAGING_BUFFERS = 3;
  /**
   * Start the disk writing every this many bytes, without waiting for it, so the one force at the end
   * finds most of the block on disk already: receiving overlaps the disk, and there is one journal
   * commit per block instead of one per piece.
   */
  private static final long WRITE_BACK_EVERY = 8L << 20;
  private static final Executor STAGE_THREADS = Thread::startVirtualThread;

  private BlockSpool(String expectedHash, long expectedLength, Path file, FileChannel channel, int writeBackFd) {
    this.expectedHash = expectedHash;
    this.expectedLength = expectedLength;
    this.file = file;
    this.channel = channel;
    this.writeBackFd = writeBackFd;
    Arrays.fill(released, CompletableFuture.completedFuture(null));
    this.staging = ByteBuffer.wrap(stagingArrays[0]);
  }

  /**
   * Starts receiving a block that should hash to {@code expectedHash}.
   *
   * @param expectedLength the length the client declared, or -1 when it declared none
   * @throws RejectedBlockException when the declared length is over the block size limit
   */
  public static BlockSpool open(Path spoolDir, String expectedHash, long expectedLength) throws IOException {
    if (expectedLength > Locator.MAX_BLOCK_SIZE) {
      throw tooLarge(expectedLength);
    }
    try {
      Files.createDirectories(spoolDir);
      Path file = Files.createTempFile(spoolDir, expectedHash + ".", ".put");
      FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE);
      int writeBackFd;
      try {
        writeBackFd = LinuxFiles.openForReading(file.toAbsolutePath().toString());
      } catch (ErrnoException e) {
        writeBackFd = -1; // only an early start for the disk: the final force works without it
      }
      return new BlockSpool(expectedHash, expectedLength, file, channel, writeBackFd);
    } catch (IOException e) {
      throw storeError(e, spoolDir);
    }
  }

  /** Appends the buffer's remaining bytes (consuming them). */
  public void write(ByteBuffer data) throws IOException {
    int n = data.remaining();
    if (received + n > Locator.MAX_BLOCK_SIZE) {
      throw tooLarge(received + n);
    }
    if (expectedLength >= 0 && received + n > expectedLength) {
      throw new RejectedBlockException(RejectedBlockException.Reason.LENGTH_MISMATCH,
          "the body is longer than its Content-Length of " + expectedLength + " bytes");
    }
    received += n;
    while (data.hasRemaining()) {
      if (!staging.hasRemaining()) {
        handOver();
      }
      int take = Math.min(staging.remaining(), data.remaining());
      data.get(staging.array(), staging.position(), take);
      staging.position(staging.position() + take);
    }
  }

  /** Gives the full staging buffer to the hash and write stages and moves on to the next free one. */
  private void handOver() throws IOException {
    byte[] array = stagingArrays[current];
    int length = staging.position();
    if (length > 0) {
      hashed = hashed.thenRunAsync(() -> md5.update(array, 0, length), STAGE_THREADS);
      written = written.thenRunAsync(() -> writeToDisk(array, length), STAGE_THREADS);
      released[current] = CompletableFuture.allOf(hashed, written);
    }
    current = (current + 1) % STAGING_BUFFERS;
    await(released[current]);
    staging = ByteBuffer.wrap(stagingArrays[current]);
  }

  private void writeToDisk(byte[] array, int length) {
    // The copy a heap buffer would get inside FileChannel.write anyway, into a buffer of this upload's:
    // the JDK's own temporary buffer is cached per thread, and every step runs on a new virtual thread,
    // so it would map and unmap 1 MiB for every buffer written.
    ByteBuffer out = writeBuffer.clear().put(array, 0, length).flip();
    try {
      while (out.hasRemaining()) {
        onDisk += channel.write(out);
      }
    } catch (IOException e) {
      throw new CompletionException(storeError(e, file));
    }
    if (writeBackFd >= 0 && onDisk - writeBackFrom >= WRITE_BACK_EVERY) {
      // A declined hint costs nothing: the force in finish() writes whatever is left.
      LinuxFiles.startWriteBack(writeBackFd, writeBackFrom, onDisk - writeBackFrom);
      writeBackFrom = onDisk;
    }
  }

  /** Waits for a stage step; its failure comes back as the IOException it was. */
  private void await(CompletableFuture<Void> step) throws IOException {
    try {
      step.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while receiving into " + file, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() instanceof CompletionException c && c.getCause() != null ? c.getCause() : e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      throw new IOException("spooling to " + file + " failed: " + cause, cause);
    }
  }

  /** Checks length and hash, forces the file to disk and returns the block it holds. */
  public Locator finish() throws IOException {
    if (expectedLength >= 0 && received != expectedLength) {
      throw new RejectedBlockException(RejectedBlockException.Reason.LENGTH_MISMATCH,
          "the body ended after " + received + " of the " + expectedLength + " bytes its Content-Length promised");
    }
    handOver();
    await(hashed);
    await(written);
    String actual = Md5.hex(md5);
    if (!actual.equals(expectedHash)) {
      throw new RejectedBlockException(RejectedBlockException.Reason.HASH_MISMATCH,
          "the body's MD5 is " + actual + ", not " + expectedHash + " as the request named it");
    }
    try {
      channel.force(false);
    } catch (IOException e) {
      throw storeError(e, file);
    }
    return Locator.of(expectedHash, received);
  }

  /** The temporary file; valid until {@link #close()}. */
  public Path file() {
    return file;
  }

  @Override
  public void close() throws IOException {
    try {
      // Let the stages finish with the file before it is closed and deleted under them.
      CompletableFuture.allOf(hashed, written).exceptionally(e -> null).join();
      channel.close();
      if (writeBackFd >= 0) {
        LinuxFiles.close(writeBackFd);
      }
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static RejectedBlockException tooLarge(long length) {
    return new RejectedBlockException(RejectedBlockException.Reason.TOO_LARGE,
        "a block holds at most " + Locator.MAX_BLOCK_SIZE + " bytes; this one has " + length);
  }

  /** A full disk is the store's problem (507), not the client's; other I/O errors stay as they are. */
  static IOException storeError(IOException e, Path where) {
    if (Errno.of(e) == Errno.ENOSPC || String.valueOf(e.getMessage()).contains("No space left on device")) {
      return new StoreFullException("no space left on the device holding " + where, e);
    }
    return e;
  }
}
