package org.keepfs.client.write.merge;

import java.util.List;
import org.keepfs.manifest.Segment;

/** One path of a flattened tree: a directory, or a file and its segments. */
public sealed interface TreeEntry {
  /** A directory (kept so that empty ones survive a merge). */
  record Dir() implements TreeEntry {}

  /** A file's content. */
  record FileContent(List<Segment> segments) implements TreeEntry {
    public FileContent {
      segments = List.copyOf(segments);
    }
  }

  /**
   * True when {@code a} and {@code b} are the same entry: both absent, both directories, or files with
   * the same blocks, offsets and lengths. Permission signatures and other hints are ignored, so a
   * re-signed manifest is no change.
   */
  static boolean same(TreeEntry a, TreeEntry b) {
    if (a == null || b == null) {
      return a == b;
    }
    return switch (a) {
      case Dir d -> b instanceof Dir;
      case FileContent f -> b instanceof FileContent g && sameSegments(f.segments(), g.segments());
    };
  }

  private static boolean sameSegments(List<Segment> a, List<Segment> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      Segment x = a.get(i);
      Segment y = b.get(i);
      if (x.offset() != y.offset() || x.length() != y.length() || !x.block().hashAndSize().equals(y.block().hashAndSize())) {
        return false;
      }
    }
    return true;
  }
}
