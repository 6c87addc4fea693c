package org.keepfs.client.fuse;

import java.nio.file.Path;

/**
 * One line of {@code /proc/self/mountinfo}.
 *
 * @param mountPoint where it is mounted (escapes decoded)
 * @param fsType the filesystem type, for FUSE {@code fuse} or {@code fuse.<subtype>}
 * @param source the mount source (for FUSE, the fsname option)
 */
public record MountInfo(Path mountPoint, String fsType, String source) {
  public boolean isFuse() {
    return fsType.equals("fuse") || fsType.startsWith("fuse.") || fsType.equals("fuseblk");
  }
}
