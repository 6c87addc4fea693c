/**
 * The client's disk caches: {@link org.keepfs.client.cache.BlockCache} for content-addressed block
 * data and {@link org.keepfs.client.cache.ReplyCache} for HTTP replies (fs123 replies, manifests),
 * with {@link org.keepfs.client.cache.FreshnessPolicy} deciding what a stored reply may still be used for.
 *
 * <p>Both share one design for crash safety and for several processes on one host, which needs no
 * locks: an entry is one file, written under {@code tmp/} and renamed into place (atomic within one
 * filesystem), never modified afterwards, and removed with unlink (a reader that has it open keeps
 * reading). Each process keeps its own index, rebuilt by a scan at start; entries another process
 * added are found on a miss, and a periodic rescan folds them into the size accounting. The size
 * bound can therefore be exceeded for a while by what other processes added since the last scan.
 */
package org.keepfs.client.cache;
