/**
 * Collections as read-only trees: {@link org.keepfs.client.collection.CollectionSource} loads a manifest
 * with one cacheable GET ({@code /by_id/<pdh>/manifest}, or the head of {@code /collections/<name>},
 * revalidated after a client-side max-age), after which lookups, attributes and listings are answered
 * from the parsed model; {@link org.keepfs.client.collection.BlockFetcher} reads file data from the
 * on-disk block cache, and {@link org.keepfs.client.collection.PieceFetcher} brings in single 1 MiB
 * {@code /keep/} pieces, each verified against the gateway's piece digests before anyone reads it
 * (whole blocks, verified against their MD5, from gateways without digests);
 * {@link org.keepfs.client.collection.CollectionFile} reads a file's segments with piece read-ahead
 * (dropped when the file is closed before it reaches the network), and hands a read that one cached,
 * verified piece holds to the front end as a region of the cache file's descriptor
 * ({@link org.keepfs.client.fs.OpenFile#region}), which the low-level front end splices to the kernel.
 */
package org.keepfs.client.collection;
