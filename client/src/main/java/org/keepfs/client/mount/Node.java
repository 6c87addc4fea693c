package org.keepfs.client.mount;

/** What an inode of a mount stands for. */
sealed interface Node {
  /** A path of the gateway's fs123 tree ("" is its root). */
  record Remote(String path) implements Node {}

  /** {@code by_id} or {@code collections}: the directory collections are looked up in. */
  record CollectionDir(Kind kind) implements Node {}

  /** A path inside a collection ("" is the collection's root). */
  record InCollection(Kind kind, String id, String path) implements Node {
    InCollection child(String name) {
      return new InCollection(kind, id, path.isEmpty() ? name : path + "/" + name);
    }
  }

  /** The {@code .keepfs} directory at the mount root. */
  record ControlDir() implements Node {}

  /** {@code .keepfs/stats}. */
  record StatsFile() implements Node {}

  enum Kind {
    BY_ID("by_id"),
    NAMED("collections");

    final String dirName;

    Kind(String dirName) {
      this.dirName = dirName;
    }
  }
}
