package org.keepfs.client.write.merge;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.keepfs.manifest.Directory;

/**
 * Merges our changes and theirs, both made from one base, path by path:
 * <ul>
 *   <li>a path only one side changed takes that side's version (a deletion included);
 *   <li>a path both changed the same way takes it;
 *   <li>a file both changed differently keeps ours, and theirs is saved beside it as
 *       {@code name~YYYYMMDD-HHMMSS~conflict~} (UTC, the time of the merge);
 *   <li>a file we deleted and they changed is saved under the conflict name; a file they deleted and
 *       we changed is kept;
 *   <li>where one side has a file and the other a directory, our entry keeps the name and theirs moves
 *       to the conflict name (a directory with everything in it).
 * </ul>
 * Nothing either side wrote is lost. These are the Python SDK's rules (keep-arvados.md §3.3).
 */
public final class ThreeWayMerge {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  /** The merged tree and the conflict names it made. */
  public record Result(Directory tree, List<String> conflicts) {}

  private ThreeWayMerge() {}

  /** The name theirs is saved under when both sides changed {@code path} at {@code when}. */
  public static String conflictName(String path, Instant when) {
    return path + "~" + STAMP.format(when) + "~conflict~";
  }

  public static Result merge(Directory base, Directory ours, Directory theirs, Instant when) {
    Map<String, TreeEntry> b = FlatTree.of(base);
    Map<String, TreeEntry> o = FlatTree.of(ours);
    Map<String, TreeEntry> t = FlatTree.of(theirs);
    TreeSet<String> paths = new TreeSet<>(b.keySet());
    paths.addAll(o.keySet());
    paths.addAll(t.keySet());
    Map<String, TreeEntry> out = new TreeMap<>();
    Map<String, String> moved = new TreeMap<>(); // their directory -> where it went
    List<String> conflicts = new ArrayList<>();
    for (String p : paths) {
      TreeEntry base0 = b.get(p);
      TreeEntry mine = o.get(p);
      TreeEntry their = t.get(p);
      if (TreeEntry.same(mine, their) || TreeEntry.same(base0, their)) {
        put(out, p, mine);
      } else if (TreeEntry.same(base0, mine)) {
        put(out, p, their);
      } else {
        put(out, p, mine);
        if (their != null && !(mine == null && their instanceof TreeEntry.Dir)) {
          String saved = uniqueName(conflictName(p, when), o, t, out);
          out.put(saved, their);
          conflicts.add(saved);
          if (their instanceof TreeEntry.Dir) {
            moved.put(p, saved);
          }
        }
      }
    }
    relocateChildren(out, moved, o);
    return new Result(FlatTree.build(out), conflicts);
  }

  private static void put(Map<String, TreeEntry> out, String path, TreeEntry e) {
    if (e != null) {
      out.put(path, e);
    }
  }

  /** Entries of theirs under a directory that moved to a conflict name follow it; ours stay. */
  private static void relocateChildren(Map<String, TreeEntry> out, Map<String, String> moved, Map<String, TreeEntry> ours) {
    if (moved.isEmpty()) {
      return;
    }
    for (String path : new ArrayList<>(out.keySet())) {
      for (Map.Entry<String, String> m : moved.entrySet()) {
        String prefix = m.getKey() + "/";
        if (path.startsWith(prefix) && !TreeEntry.same(ours.get(path), out.get(path))) {
          out.put(m.getValue() + "/" + path.substring(prefix.length()), out.remove(path));
        }
      }
    }
  }

  private static String uniqueName(String name, Map<String, TreeEntry> o, Map<String, TreeEntry> t, Map<String, TreeEntry> out) {
    String n = name;
    for (int i = 2; o.containsKey(n) || t.containsKey(n) || out.containsKey(n); i++) {
      n = name + i;
    }
    return n;
  }
}
