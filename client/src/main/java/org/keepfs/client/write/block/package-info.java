/**
 * The data side of a writable collection: buffer blocks that writes append to, held in native memory
 * from the {@link org.keepfs.client.write.block.MemoryBudget} (at most the limit, reused, freed at
 * close), the local spool directory buffers go to when the budget is spent and no upload in flight
 * would free any, and the upload pipeline that hashes and stores full buffers in the background with
 * a bounded number in flight.
 *
 * <p>A file's bytes live in {@link org.keepfs.client.write.block.BlockRef}s: a block already in Keep
 * ({@link org.keepfs.client.write.block.StoredBlock}) or a {@link org.keepfs.client.write.block.BufferBlock}
 * (WRITABLE while one file appends to it, SEALED once queued, UPLOADED with its locator, or FAILED and
 * kept for the next attempt). Blocks are stored and read through {@link
 * org.keepfs.client.write.block.BlockUploader} and {@link org.keepfs.client.write.block.BlockReader}.
 */
package org.keepfs.client.write.block;
