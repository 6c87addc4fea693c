package org.keepfs.client.write.block;

/** Where a range of a file's bytes lives: a stored Keep block or a buffer block. */
public sealed interface BlockRef permits StoredBlock, BufferBlock {
  /** The block's length in bytes (for a writable buffer: so far). */
  long size();
}
