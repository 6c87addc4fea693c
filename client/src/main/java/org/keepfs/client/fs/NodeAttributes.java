package org.keepfs.client.fs;

import java.time.Instant;
import java.util.Objects;

/**
 * What {@code stat} reports about a node.
 *
 * @param ino the node's number, stable while the node exists; {@link FileSystem#ROOT_INODE} is the root
 * @param type file, directory or symlink
 * @param permissions the permission bits ({@code 07777} at most)
 * @param nlink the number of names (for a directory: 2 + subdirectories)
 * @param size the length in bytes (for a symlink: the length of its target)
 * @param uid owner
 * @param gid group
 * @param atime last access
 * @param mtime last change of content
 * @param ctime last change of content or attributes
 */
public record NodeAttributes(
    long ino,
    NodeType type,
    int permissions,
    long nlink,
    long size,
    int uid,
    int gid,
    Instant atime,
    Instant mtime,
    Instant ctime) {

  /** The block size {@code st_blocks} is counted in, as POSIX defines it. */
  public static final int STAT_BLOCK_SIZE = 512;

  public NodeAttributes {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(atime, "atime");
    Objects.requireNonNull(mtime, "mtime");
    Objects.requireNonNull(ctime, "ctime");
    if (ino <= 0) {
      throw new IllegalArgumentException("inode number must be positive, got " + ino);
    }
    if ((permissions & ~07777) != 0) {
      throw new IllegalArgumentException("permissions 0" + Integer.toOctalString(permissions) + " have bits outside 07777");
    }
    if (size < 0) {
      throw new IllegalArgumentException("size must not be negative, got " + size);
    }
    if (nlink < 0) {
      throw new IllegalArgumentException("nlink must not be negative, got " + nlink);
    }
  }

  /** {@code st_mode}: type bits and permission bits. */
  public int mode() {
    return type.modeBits() | permissions;
  }

  /** {@code st_blocks}: the size rounded up to 512-byte units. */
  public long blocks() {
    return (size + STAT_BLOCK_SIZE - 1) / STAT_BLOCK_SIZE;
  }

  public NodeAttributes withSize(long newSize, Instant changed) {
    return new NodeAttributes(ino, type, permissions, nlink, newSize, uid, gid, atime, changed, changed);
  }

  public NodeAttributes withPermissions(int newPermissions, Instant changed) {
    return new NodeAttributes(ino, type, newPermissions, nlink, size, uid, gid, atime, mtime, changed);
  }

  public NodeAttributes withTimes(Instant newAtime, Instant newMtime, Instant changed) {
    return new NodeAttributes(ino, type, permissions, nlink, size, uid, gid, newAtime, newMtime, changed);
  }

  public NodeAttributes withNlink(long newNlink, Instant changed) {
    return new NodeAttributes(ino, type, permissions, newNlink, size, uid, gid, atime, mtime, changed);
  }
}
