package org.keepfs.client.writable;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.keepfs.client.collection.BlockFetcher;
import org.keepfs.client.write.block.BlockReader;
import org.keepfs.locator.Locator;
import org.keepfs.posix.Errno;
import org.keepfs.posix.ErrnoException;

/**
 * Reads the stored parts of files being written through the client's block cache, so a file read
 * back after its blocks went to Keep costs one fetch per block, not a gateway request per read.
 */
final class CachedBlockReader implements BlockReader {
  private final BlockFetcher fetcher;

  CachedBlockReader(BlockFetcher fetcher) {
    this.fetcher = fetcher;
  }

  @Override
  public void read(Locator block, long offset, ByteBuffer dst) throws IOException {
    long at = offset;
    while (dst.hasRemaining()) {
      int n = fetcher.read(block, at, dst);
      if (n <= 0) {
        throw new ErrnoException(Errno.EIO, "block " + block.hashAndSize() + " ended at byte " + at
            + " while " + dst.remaining() + " more bytes were expected");
      }
      at += n;
    }
  }
}
