/**
 * The writable mount: a {@link org.keepfs.client.fs.FileSystem} over one collection open for writing
 * ({@link org.keepfs.client.write.WritableCollection} with its
 * {@link org.keepfs.client.write.commit.CollectionWriter}), the {@code .arv/} control directory at its
 * root, the commit triggers (idle timer, fsync) and the assembly a {@code keepfs mount --read-write}
 * runs ({@link org.keepfs.client.writable.WritableMount}).
 */
package org.keepfs.client.writable;
