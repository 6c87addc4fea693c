/**
 * The read-only remote tree: {@link org.keepfs.client.remote.CachedReplies} puts the durable reply cache
 * and the fs123 freshness rules in front of the HTTP layer (fresh: no network; within
 * stale-while-revalidate: serve and refresh in the background; on errors: serve stale up to
 * stale-if-error; disconnected: never the network); {@link org.keepfs.client.remote.Fs123Remote} speaks
 * the fs123 7.2 requests over it, asks for listings with attributes (the keepfs extension) and keeps
 * parsed attributes in a bounded in-memory cache; {@link org.keepfs.client.remote.RemoteTree} answers filesystem calls
 * by path from those replies, and {@link org.keepfs.client.remote.RemoteFile} reads file contents in
 * 128 KiB chunks with read-ahead and the validator and ESTALE-cookie checks that keep data from two
 * versions of a file apart.
 */
package org.keepfs.client.remote;
