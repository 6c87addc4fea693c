package org.keepfs.client.mount;

import org.keepfs.client.writable.WritableFileSystem;

/**
 * Inode numbers of the collections a full read-write mount writes. Each open collection numbers its
 * own nodes (its tree from 1, its {@code .arv/} files from {@link WritableFileSystem#CONTROL_INODES});
 * the mount's number for one is {@code 2^62 + slot * 2^43 + local}, with the control files packed just
 * above the tree's range, so the read-only part's numbers (counting up from 2) never meet them and no
 * table is needed to go either way.
 */
final class CollectionInodes {
  private static final long BASE = 1L << 62;
  private static final int LOCAL_BITS = 43;
  /** The tree's inodes stay below this; the control files take the numbers from here on. */
  private static final long TREE_LIMIT = 1L << (LOCAL_BITS - 1);
  private static final long CONTROL_LIMIT = 1L << 20;
  /** Slots from 1 to this fit between BASE and the top of a positive long. */
  static final int MAX_SLOT = (1 << (62 - LOCAL_BITS)) - 1;

  private CollectionInodes() {}

  /** The mount's number for inode {@code local} of the collection in {@code slot}. */
  static long global(int slot, long local) {
    if (slot < 1 || slot > MAX_SLOT) {
      throw new IllegalArgumentException("slot " + slot + " outside 1.." + MAX_SLOT);
    }
    long packed;
    if (local >= 1 && local < TREE_LIMIT) {
      packed = local;
    } else if (local >= WritableFileSystem.CONTROL_INODES && local < WritableFileSystem.CONTROL_INODES + CONTROL_LIMIT) {
      packed = TREE_LIMIT + (local - WritableFileSystem.CONTROL_INODES);
    } else {
      throw new IllegalArgumentException("a collection's inode " + local + " is outside the ranges a mount can number");
    }
    return BASE | ((long) slot << LOCAL_BITS) | packed;
  }

  /** True when {@code ino} is a node of a writable collection. */
  static boolean isCollectionNode(long ino) {
    return ino >= BASE;
  }

  static int slot(long ino) {
    return (int) ((ino - BASE) >>> LOCAL_BITS);
  }

  /** The collection's own number for {@code ino}. */
  static long local(long ino) {
    long packed = ino & ((1L << LOCAL_BITS) - 1);
    return packed < TREE_LIMIT ? packed : WritableFileSystem.CONTROL_INODES + (packed - TREE_LIMIT);
  }
}
