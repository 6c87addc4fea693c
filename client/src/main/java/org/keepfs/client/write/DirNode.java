package org.keepfs.client.write;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.TreeMap;

/** A directory: its entries in UTF-8 byte order (the order manifests use). Guarded by the tree lock. */
final class DirNode extends TreeNode {
  static final Comparator<String> UTF8_ORDER = (a, b) ->
      Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

  final TreeMap<String, TreeNode> children = new TreeMap<>(UTF8_ORDER);

  DirNode(long inode, DirNode parent, String name, Instant mtime) {
    super(inode, parent, name, mtime);
  }
}
