/**
 * The writable mount: a {@link org.keepfs.client.fs.FileSystem} over one collection open for writing
 * ({@link org.keepfs.client.write.WritableCollection} with its
 * {@link org.keepfs.client.write.commit.CollectionWriter}), the {@code .arv/} control directory at its
 * root, the commit triggers (idle timer, fsync) and the assembly a {@code keepfs mount --read-write}
 * runs ({@link org.keepfs.client.writable.WritableMount}); for a full read-write mount, the collections it
 * opened ({@link org.keepfs.client.writable.OpenCollections}, one spool each, recovered at start), and
 * the end of either kind of mount ({@link org.keepfs.client.writable.MountedCollection}: commit each
 * collection, unmount, commit again).
 */
package org.keepfs.client.writable;
