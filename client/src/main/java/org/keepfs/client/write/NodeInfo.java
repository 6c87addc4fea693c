package org.keepfs.client.write;

import java.time.Instant;

/**
 * What {@code stat} needs to know about a node of the writable tree.
 *
 * @param inode the node's number, stable while it exists (1 is the root)
 * @param directory true for a directory
 * @param size the file's length (0 for a directory)
 * @param entries for a directory, how many entries it has
 * @param mtime last change
 */
public record NodeInfo(long inode, boolean directory, long size, int entries, Instant mtime) {}
