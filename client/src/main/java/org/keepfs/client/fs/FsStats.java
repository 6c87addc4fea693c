package org.keepfs.client.fs;

/**
 * What {@code statfs} reports.
 *
 * @param blockSize the unit the block counts are in
 * @param totalBlocks size of the filesystem in blocks
 * @param freeBlocks free blocks
 * @param availableBlocks free blocks an unprivileged user may use
 * @param totalFiles how many nodes the filesystem can hold
 * @param freeFiles how many more nodes it can hold
 * @param maxNameLength the longest name in bytes
 */
public record FsStats(
    int blockSize,
    long totalBlocks,
    long freeBlocks,
    long availableBlocks,
    long totalFiles,
    long freeFiles,
    int maxNameLength) {
  public FsStats {
    if (blockSize <= 0) {
      throw new IllegalArgumentException("blockSize must be positive, got " + blockSize);
    }
    if (totalBlocks < 0 || freeBlocks < 0 || availableBlocks < 0 || totalFiles < 0 || freeFiles < 0) {
      throw new IllegalArgumentException("statfs counts must not be negative: blocks " + totalBlocks + "/" + freeBlocks
          + "/" + availableBlocks + ", files " + totalFiles + "/" + freeFiles);
    }
  }
}
