/**
 * One mount's filesystem: {@link org.keepfs.client.mount.GatewayFileSystem} joins the fs123 tree of a
 * gateway (exports), the collections below {@code by_id/} and {@code collections/}, and the
 * {@code .keepfs/stats} file behind the {@link org.keepfs.client.fs.FileSystem} interface;
 * {@link org.keepfs.client.mount.ClientSetup} builds the HTTP client, caches and trees of a mount from
 * its options. {@link org.keepfs.client.mount.ReadWriteGatewayFileSystem} is the full mount with
 * {@code --read-write}: the same tree with each {@code collections/NAME} served by a writable collection
 * ({@link org.keepfs.client.writable.OpenCollections}), everything else read-only.
 */
package org.keepfs.client.mount;
