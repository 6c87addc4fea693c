package org.keepfs.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.keepfs.locator.Locator;
import org.keepfs.posix.Errno;

/**
 * Receives an uploaded block into a temporary file, hashing each buffer as it is written, so the
 * block is read from the network once, hashed once and never held whole in the heap. {@link
 * #finish()} checks length and hash and forces the file to disk; {@link #close()} deletes the file,
 * so a failed or abandoned upload leaves nothing behind.
 */
public final class BlockSpool implements AutoCloseable {
  private final String expectedHash;
  private final long expectedLength;
  private final Path file;
  private final FileChannel channel;
  private final MessageDigest md5 = Md5.newDigest();
  // Network chunks are small (a few KiB); staging them in an array turns thousands of write calls
  // into a few, and lets MD5 run over 1 MiB arrays: MessageDigest.update(ByteBuffer) on a direct or
  // read-only buffer copies through a 4 KiB array and measured several times slower than MD5 itself.
  private final byte[] stagingArray = new byte[STAGING_BYTES];
  private final ByteBuffer staging = ByteBuffer.wrap(stagingArray);
  private long written;
  private long onDisk;
  private long flushedUpTo;
  private CompletableFuture<Void> forcing = CompletableFuture.completedFuture(null);

  private static final int STAGING_BYTES = 1 << 20;
  /** Start writing back to disk every this many bytes, in the background, so the final force is short. */
  private static final long FORCE_EVERY = 8L << 20;

  private BlockSpool(String expectedHash, long expectedLength, Path file, FileChannel channel) {
    this.expectedHash = expectedHash;
    this.expectedLength = expectedLength;
    this.file = file;
    this.channel = channel;
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
      return new BlockSpool(expectedHash, expectedLength, file, channel);
    } catch (IOException e) {
      throw storeError(e, spoolDir);
    }
  }

  /** Appends the buffer's remaining bytes (consuming them). */
  public void write(ByteBuffer data) throws IOException {
    int n = data.remaining();
    if (written + n > Locator.MAX_BLOCK_SIZE) {
      throw tooLarge(written + n);
    }
    if (expectedLength >= 0 && written + n > expectedLength) {
      throw new RejectedBlockException(RejectedBlockException.Reason.LENGTH_MISMATCH,
          "the body is longer than its Content-Length of " + expectedLength + " bytes");
    }
    written += n;
    while (data.hasRemaining()) {
      if (!staging.hasRemaining()) {
        drain();
      }
      int take = Math.min(staging.remaining(), data.remaining());
      data.get(stagingArray, staging.position(), take);
      staging.position(staging.position() + take);
    }
  }

  private void drain() throws IOException {
    md5.update(stagingArray, 0, staging.position());
    staging.flip();
    try {
      while (staging.hasRemaining()) {
        onDisk += channel.write(staging);
      }
    } catch (IOException e) {
      throw storeError(e, file);
    } finally {
      staging.clear();
    }
    if (onDisk - flushedUpTo >= FORCE_EVERY && forcing.isDone()) {
      flushedUpTo = onDisk;
      forcing = CompletableFuture.runAsync(this::forceQuietly, Thread::startVirtualThread);
    }
  }

  /** Background write-back; a failure shows again in the final force, which is checked. */
  private void forceQuietly() {
    try {
      channel.force(false);
    } catch (IOException e) {
      // The final force in finish() reports it.
    }
  }

  private void awaitForcing() throws IOException {
    try {
      forcing.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while writing " + file + " back to disk", e);
    } catch (ExecutionException e) {
      throw new IOException(e.getCause());
    }
  }

  /** Checks length and hash, forces the file to disk and returns the block it holds. */
  public Locator finish() throws IOException {
    if (expectedLength >= 0 && written != expectedLength) {
      throw new RejectedBlockException(RejectedBlockException.Reason.LENGTH_MISMATCH,
          "the body ended after " + written + " of the " + expectedLength + " bytes its Content-Length promised");
    }
    drain();
    String actual = Md5.hex(md5);
    if (!actual.equals(expectedHash)) {
      throw new RejectedBlockException(RejectedBlockException.Reason.HASH_MISMATCH,
          "the body's MD5 is " + actual + ", not " + expectedHash + " as the request named it");
    }
    awaitForcing();
    try {
      channel.force(false);
    } catch (IOException e) {
      throw storeError(e, file);
    }
    return Locator.of(expectedHash, written);
  }

  /** The temporary file; valid until {@link #close()}. */
  public Path file() {
    return file;
  }

  @Override
  public void close() throws IOException {
    try {
      forcing.exceptionally(e -> null).join();
      channel.close();
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
