/**
 * A writable collection with no FUSE in it: an in-memory tree ({@link org.keepfs.client.write.WritableCollection})
 * that programs change through paths and {@link org.keepfs.client.write.FileHandle}s with POSIX rules,
 * whose files are extents of stored Keep blocks and buffer blocks. Every write patches the file's
 * extents, so the tree always says where each byte is; {@link org.keepfs.client.write.WritableCollection#capture}
 * packs small files into shared blocks and gives the tree a commit turns into a manifest.
 *
 * <p>Subpackages: {@code block} (buffers, memory budget, upload pipeline), {@code http} (gateway
 * client), {@code merge} (three-way merge), {@code spool} (crash recovery), {@code commit} (the whole
 * writer and its status). The lock order is documented on {@link org.keepfs.client.write.WritableCollection}.
 */
package org.keepfs.client.write;
