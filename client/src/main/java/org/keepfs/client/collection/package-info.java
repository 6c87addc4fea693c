/**
 * Collections as read-only trees: {@link org.keepfs.client.collection.CollectionSource} loads a manifest
 * with one cacheable GET ({@code /by_id/<pdh>/manifest}, or the head of {@code /collections/<name>},
 * revalidated after a client-side max-age), after which lookups, attributes and listings are answered
 * from the parsed model; {@link org.keepfs.client.collection.BlockFetcher} brings file data from
 * {@code /keep/} pieces into the on-disk block cache, verified against the block's MD5 before anyone
 * reads it; {@link org.keepfs.client.collection.CollectionFile} reads a file's segments with read-ahead.
 */
package org.keepfs.client.collection;
