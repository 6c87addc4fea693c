package org.keepfs.client.write;

import java.time.Instant;

/**
 * A node of the writable tree. Its place (parent and name) is guarded by the collection's tree lock.
 * Lifecycle hooks, as Jimfs has them: a file is {@code opened} and {@code closed} by handles and
 * {@code unlinked} when its last name goes; a file both unlinked and closed frees its buffers.
 */
abstract sealed class TreeNode permits DirNode, FileNode {
  final long inode;
  DirNode parent;
  String name;
  volatile Instant mtime;

  TreeNode(long inode, DirNode parent, String name, Instant mtime) {
    this.inode = inode;
    this.parent = parent;
    this.name = name;
    this.mtime = mtime;
  }

  /** The path from the root ("" for the root). Caller holds the tree lock. */
  String path() {
    if (parent == null) {
      return "";
    }
    String p = parent.path();
    return p.isEmpty() ? name : p + "/" + name;
  }

  /** True when {@code this} is {@code other} or one of its ancestors. Caller holds the tree lock. */
  boolean isAncestorOf(TreeNode other) {
    for (TreeNode n = other; n != null; n = n.parent) {
      if (n == this) {
        return true;
      }
    }
    return false;
  }
}
