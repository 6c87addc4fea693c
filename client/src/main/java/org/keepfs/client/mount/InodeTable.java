package org.keepfs.client.mount;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.keepfs.client.fs.FileSystem;
import org.keepfs.posix.Errno;
import org.keepfs.posix.ErrnoException;

/** Inode numbers of a mount: one per node, stable for the life of the process, the root fixed at 1. */
final class InodeTable {
  private final Map<Long, Node> byIno = new ConcurrentHashMap<>();
  private final Map<Node, Long> byNode = new ConcurrentHashMap<>();
  private final AtomicLong next = new AtomicLong(FileSystem.ROOT_INODE + 1);

  InodeTable(Node root) {
    byIno.put(FileSystem.ROOT_INODE, root);
    byNode.put(root, FileSystem.ROOT_INODE);
  }

  long inoOf(Node node) {
    return byNode.computeIfAbsent(node, n -> {
      long ino = next.getAndIncrement();
      byIno.put(ino, n);
      return ino;
    });
  }

  Node node(long ino) throws ErrnoException {
    Node n = byIno.get(ino);
    if (n == null) {
      throw new ErrnoException(Errno.ESTALE, "inode " + ino + " is not known to this mount");
    }
    return n;
  }

  int size() {
    return byIno.size();
  }
}
