package org.keepfs.client.write.merge;

import java.util.Map;
import java.util.TreeMap;
import org.keepfs.manifest.Directory;
import org.keepfs.manifest.File;
import org.keepfs.manifest.Node;
import org.keepfs.manifest.TreeBuilder;

/** A manifest tree as a map from path to entry, and back. */
public final class FlatTree {
  private FlatTree() {}

  /** Every directory and file below {@code root}, by {@code /}-separated path. */
  public static Map<String, TreeEntry> of(Directory root) {
    Map<String, TreeEntry> out = new TreeMap<>();
    add(root, "", out);
    return out;
  }

  private static void add(Directory dir, String prefix, Map<String, TreeEntry> out) {
    for (int i = 0; i < dir.size(); i++) {
      String path = prefix + dir.name(i);
      Node n = dir.entry(i);
      switch (n) {
        case Directory d -> {
          out.put(path, new TreeEntry.Dir());
          add(d, path + "/", out);
        }
        case File f -> out.put(path, new TreeEntry.FileContent(f.segments()));
      }
    }
  }

  /** The tree of {@code entries}; parents of entries are created as needed. */
  public static Directory build(Map<String, TreeEntry> entries) {
    TreeBuilder b = new TreeBuilder();
    for (Map.Entry<String, TreeEntry> e : entries.entrySet()) {
      switch (e.getValue()) {
        case TreeEntry.Dir d -> b.addDirectory(e.getKey());
        case TreeEntry.FileContent f -> b.appendToFile(e.getKey(), f.segments());
      }
    }
    return b.build();
  }
}
