/**
 * Block pieces: the fixed, aligned 1 MiB parts of a block that readers fetch on their own, and the
 * list of their MD5s that lets a reader check one piece without the rest of the block. No I/O.
 */
package org.keepfs.pieces;
