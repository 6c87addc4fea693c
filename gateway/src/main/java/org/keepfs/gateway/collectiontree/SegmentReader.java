package org.keepfs.gateway.collectiontree;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.keepfs.manifest.File;
import org.keepfs.manifest.Segment;
import org.keepfs.posix.Errno;
import org.keepfs.posix.ErrnoException;
import org.keepfs.store.StoreChain;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads byte ranges of collection files from their blocks: each segment the range touches is read as
 * a range of its block, so a 128 KiB read costs about 128 KiB whatever the block size. The store chain
 * checks every byte against the block's hash; a block that is missing, corrupt or unreachable makes the
 * read fail with EIO rather than return bytes that are not the file's.
 */
public final class SegmentReader {
  private static final Logger LOG = LoggerFactory.getLogger(SegmentReader.class);

  private final StoreChain blocks;

  public SegmentReader(StoreChain blocks) {
    this.blocks = blocks;
  }

  /**
   * Reads from byte {@code offset} of {@code file} into {@code into} until it is full or the file ends.
   *
   * @return the bytes read
   */
  int read(File file, long offset, ByteBuffer into, String where) throws ErrnoException {
    long size = file.size();
    if (offset >= size || !into.hasRemaining()) {
      return 0;
    }
    int want = (int) Math.min(into.remaining(), size - offset);
    int start = into.position();
    for (Segment s : file.segments(offset, want)) {
      try {
        into.put(blocks.read(s.block(), s.offset(), (int) s.length()));
      } catch (IOException | RuntimeException e) {
        into.position(start);
        LOG.warn("reading {} at {}: block {}: {}", where, offset, s.block().hashAndSize(), e.toString());
        throw new ErrnoException(Errno.EIO, "block " + s.block().hashAndSize() + " of " + where + " cannot be read: "
            + e.getMessage(), e);
      }
    }
    return into.position() - start;
  }
}
