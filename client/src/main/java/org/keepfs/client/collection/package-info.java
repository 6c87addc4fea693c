/**
 * Collections as read-only trees: {@link org.keepfs.client.collection.CollectionSource} loads a manifest
 * with one cacheable GET ({@code /by_id/<pdh>/manifest}, or the head of {@code /collections/<name>},
 * revalidated after a client-side max-age), after which lookups, attributes and listings are answered
 * from the parsed model; {@link org.keepfs.client.collection.BlockFetcher} reads file data from the
 * on-disk block cache, and {@link org.keepfs.client.collection.PieceFetcher} brings in single 1 MiB
 * {@code /keep/} pieces, each verified against the gateway's piece digests before anyone reads it
 * (whole blocks, verified against their MD5, from gateways without digests);
 * {@link org.keepfs.client.collection.CollectionFile} reads a file's segments with piece read-ahead.
 */
package org.keepfs.client.collection;
