package org.keepfs.gateway.collectiontree;

import org.keepfs.fs123.StatfsReply;

/** What {@code /s} reports for collection trees: a read-only filesystem with no free space. */
final class CollectionStatfs {
  /** {@code ST_RDONLY} of statvfs(3). */
  private static final long READ_ONLY = 1;

  static final StatfsReply REPLY = new StatfsReply(4096, 4096, 0, 0, 0, 0, 0, 0, 0, READ_ONLY, 255);

  private CollectionStatfs() {}
}
