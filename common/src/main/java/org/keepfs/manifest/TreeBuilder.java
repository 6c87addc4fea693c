package org.keepfs.manifest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.keepfs.locator.Locator;

/**
 * Builds an immutable {@link Directory} tree. Files are built by appending segments, so several calls for
 * one path concatenate in call order (as several manifest tokens for one file do). Not thread-safe; the
 * result is.
 *
 * <p>Inside the builder a name is a {@code String} whose chars are the bytes of the name's UTF-8 encoding
 * (ISO-8859-1 decoding), so that {@link String#compareTo} sorts in UTF-8 byte order and building a key
 * from manifest bytes is a plain copy.
 */
public final class TreeBuilder {
  private final DirectoryBuilder root;
  private final List<Locator> blocks = new ArrayList<>();
  private final Map<Locator, Integer> blockIndexes = new HashMap<>();

  /** A builder of a new, empty tree. */
  public TreeBuilder() {
    root = new DirectoryBuilder();
  }

  private TreeBuilder(Directory base) {
    root = expand(base);
  }

  /**
   * A builder that starts from {@code base}. Directories that are not changed are shared with the
   * result rather than copied, so changing one file of a large tree costs the directories on its path.
   */
  public static TreeBuilder from(Directory base) {
    return new TreeBuilder(base);
  }

  /** Puts the tree {@code dir} at {@code path}, replacing what was there; creates missing parents. */
  public TreeBuilder putDirectory(String path, Directory dir) {
    List<String> keys = keys(path);
    parentForChange(path, keys, true).put(keys.getLast(), dir);
    return this;
  }

  /**
   * Sets the content of the file at {@code path} to {@code segments}, replacing what it held (an
   * overwrite or truncate computes the new list, e.g. from {@link File#segments(long, long)}); creates
   * the file and its parents when missing. A directory there is an error: remove it first.
   */
  public TreeBuilder putFile(String path, List<Segment> segments) {
    List<String> keys = keys(path);
    DirectoryBuilder parent = parentForChange(path, keys, true);
    String name = keys.getLast();
    Object existing = parent.entries.get(name);
    if (existing != null && !(existing instanceof FileBuilder)) {
      throw new IllegalArgumentException("cannot write file '" + path + "': it is a directory");
    }
    FileBuilder file = new FileBuilder();
    for (Segment s : segments) {
      file.append(blockIndex(s.block()), (int) s.offset(), (int) s.length());
    }
    parent.put(name, file);
    return this;
  }

  /**
   * Removes the file or directory (with everything below it) at {@code path}.
   *
   * @return false when there was nothing at {@code path}
   */
  public boolean remove(String path) {
    List<String> keys = keys(path);
    DirectoryBuilder parent = parentForChange(path, keys, false);
    return parent != null && parent.remove(keys.getLast());
  }

  /**
   * The directory holding the last component of {@code keys} (never empty), made changeable; when it is
   * missing, created if {@code create}, else null.
   */
  private DirectoryBuilder parentForChange(String path, List<String> keys, boolean create) {
    DirectoryBuilder dir = root;
    for (String key : keys.subList(0, keys.size() - 1)) {
      DirectoryBuilder next = create ? dir.subdirectory(key) : dir.existingSubdirectory(key);
      if (next == null) {
        if (create) {
          throw new IllegalArgumentException("cannot use '" + path + "': '" + display(key) + "' is a file");
        }
        return null;
      }
      dir = next;
    }
    return dir;
  }

  /** Creates the directory at {@code path} ({@code /}-separated) and its parents. */
  public TreeBuilder addDirectory(String path) {
    DirectoryBuilder dir = root;
    for (String key : keys(path)) {
      DirectoryBuilder next = dir.subdirectory(key);
      if (next == null) {
        throw new IllegalArgumentException("cannot create directory '" + path + "': '" + display(key) + "' is a file");
      }
      dir = next;
    }
    return this;
  }

  /**
   * Appends {@code segments} to the file at {@code path}, creating it (empty when there are no segments)
   * and its parent directories.
   */
  public TreeBuilder appendToFile(String path, List<Segment> segments) {
    List<String> keys = keys(path);
    FileBuilder file = parentForChange(path, keys, true).file(keys.getLast());
    if (file == null) {
      throw new IllegalArgumentException("cannot write file '" + path + "': it is a directory");
    }
    for (Segment s : segments) {
      file.append(blockIndex(s.block()), (int) s.offset(), (int) s.length());
    }
    return this;
  }

  /** The tree built so far. The builder may go on being used; later changes do not affect the result. */
  public Directory build() {
    int[] localIndexes = new int[blocks.size()];
    Arrays.fill(localIndexes, -1);
    return build(root, blocks.toArray(new Locator[0]), localIndexes);
  }

  // The parser's fast path.

  DirectoryBuilder root() {
    return root;
  }

  /** The builder-wide index of {@code block}; blocks larger than 2 GiB do not fit the packed model. */
  int blockIndex(Locator block) {
    Integer known = blockIndexes.get(block);
    if (known != null) {
      return known;
    }
    if (block.size() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("block " + block.hashAndSize() + " is larger than 2 GiB (Keep blocks are at most "
          + Locator.MAX_BLOCK_SIZE + " bytes)");
    }
    int index = blocks.size();
    blocks.add(block);
    blockIndexes.put(block, index);
    return index;
  }

  /** The components of {@code path} as byte-string keys; at least one, or an error naming the path. */
  private static List<String> keys(String path) {
    List<String> keys = new ArrayList<>();
    for (String component : path.split("/", -1)) {
      if (component.isEmpty() || component.equals(".") || component.equals("..")) {
        throw new IllegalArgumentException("invalid path '" + path + "': components must be non-empty and not '.' or '..'");
      }
      keys.add(new String(component.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
    }
    return keys;
  }

  static String display(String key) {
    return new String(key.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
  }

  @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int) is the copy-free way to the key's bytes
  private Directory build(DirectoryBuilder dir, Locator[] globalBlocks, int[] localIndexes) {
    String[] keys = dir.namesInOrder.toArray(new String[0]);
    if (!isSorted(keys)) {
      Arrays.sort(keys); // ISO-8859-1 chars compare as the unsigned UTF-8 bytes they stand for
    }
    int n = keys.length;
    Object[] values = new Object[n];
    int nameBytes = 0;
    int segmentCount = 0;
    int childCount = 0;
    for (int i = 0; i < n; i++) {
      values[i] = dir.entries.get(keys[i]);
      nameBytes += keys[i].length();
      if (values[i] instanceof FileBuilder f) {
        segmentCount += f.segmentCount();
      } else {
        childCount++;
      }
    }
    // Children first: they use localIndexes for their own block tables.
    Directory[] children = new Directory[childCount];
    long[] sizeOrChild = new long[n];
    for (int i = 0, c = 0; i < n; i++) {
      if (values[i] instanceof DirectoryBuilder sub) {
        children[c] = build(sub, globalBlocks, localIndexes);
        sizeOrChild[i] = ~c;
        c++;
      } else if (values[i] instanceof Directory shared) {
        children[c] = shared;
        sizeOrChild[i] = ~c;
        c++;
      }
    }
    byte[] names = new byte[nameBytes];
    int[] nameEnds = new int[n];
    int[] segmentEnds = new int[n];
    int[] segments = new int[3 * segmentCount];
    List<Locator> localBlocks = new ArrayList<>();
    int[] globalsUsed = new int[4];
    int nameEnd = 0;
    int s = 0;
    for (int i = 0; i < n; i++) {
      String key = keys[i];
      key.getBytes(0, key.length(), names, nameEnd); // exactly the name's UTF-8 bytes, with no copy
      nameEnd += key.length();
      nameEnds[i] = nameEnd;
      if (values[i] instanceof FileBuilder f) {
        sizeOrChild[i] = f.size;
        for (int k = 0, count = f.segmentCount(); k < count; k++) {
          int global = f.block(k);
          int local = localIndexes[global];
          if (local < 0) {
            local = localBlocks.size();
            localBlocks.add(globalBlocks[global]);
            localIndexes[global] = local;
            if (local == globalsUsed.length) {
              globalsUsed = Arrays.copyOf(globalsUsed, local * 2);
            }
            globalsUsed[local] = global;
          }
          segments[3 * s] = local;
          segments[3 * s + 1] = f.offset(k);
          segments[3 * s + 2] = f.length(k);
          s++;
        }
      }
      segmentEnds[i] = s;
    }
    Locator[] blocks = localBlocks.toArray(new Locator[0]);
    for (int b = 0; b < blocks.length; b++) {
      localIndexes[globalsUsed[b]] = -1;
    }
    return n == 0 ? Directory.EMPTY : new Directory(names, nameEnds, sizeOrChild, segmentEnds, segments, blocks, children);
  }

  private static boolean isSorted(String[] keys) {
    for (int i = 1; i < keys.length; i++) {
      if (keys[i - 1].compareTo(keys[i]) > 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * A directory being built: names (as byte strings) to {@link FileBuilder}, {@link DirectoryBuilder}, or
   * an unchanged {@link Directory} that the result shares; and the names in the order they came, which
   * for most manifests is already sorted.
   */
  final class DirectoryBuilder {
    final HashMap<String, Object> entries = new HashMap<>();
    final ArrayList<String> namesInOrder = new ArrayList<>();

    /** The subdirectory {@code key}, created if absent; null when {@code key} is a file. */
    DirectoryBuilder subdirectory(String key) {
      Object e = entries.get(key);
      if (e == null) {
        DirectoryBuilder created = new DirectoryBuilder();
        entries.put(key, created);
        namesInOrder.add(key);
        return created;
      }
      return changeable(key, e);
    }

    /** The existing subdirectory {@code key}, made changeable; null when absent or a file. */
    DirectoryBuilder existingSubdirectory(String key) {
      return changeable(key, entries.get(key));
    }

    private DirectoryBuilder changeable(String key, Object e) {
      if (e instanceof DirectoryBuilder d) {
        return d;
      }
      if (e instanceof Directory shared) {
        DirectoryBuilder expanded = expand(shared);
        entries.put(key, expanded);
        return expanded;
      }
      return null;
    }

    /** The file {@code key}, created empty if absent; null when {@code key} is a directory. */
    FileBuilder file(String key) {
      // One hash lookup: most names are new, so a wasted FileBuilder for a repeated name is cheaper.
      FileBuilder created = new FileBuilder();
      Object e = entries.putIfAbsent(key, created);
      if (e == null) {
        namesInOrder.add(key);
        return created;
      }
      return e instanceof FileBuilder f ? f : null;
    }

    void put(String key, Object entry) {
      if (entries.put(key, entry) == null) {
        namesInOrder.add(key);
      }
    }

    boolean remove(String key) {
      if (entries.remove(key) == null) {
        return false;
      }
      namesInOrder.remove(key);
      return true;
    }
  }

  /** One level of {@code dir} as builders; its subdirectories stay shared until they are changed. */
  private DirectoryBuilder expand(Directory dir) {
    DirectoryBuilder b = new DirectoryBuilder();
    byte[] names = dir.nameBytes();
    for (int i = 0; i < dir.size(); i++) {
      String key = new String(names, dir.nameStart(i), dir.nameEnd(i) - dir.nameStart(i), StandardCharsets.ISO_8859_1);
      if (dir.isDirectory(i)) {
        b.put(key, dir.child(i));
        continue;
      }
      FileBuilder f = new FileBuilder();
      for (int s = dir.segmentStart(i); s < dir.segmentEnd(i); s++) {
        f.append(blockIndex(dir.segmentBlock(s)), (int) dir.segmentOffset(s), (int) dir.segmentLength(s));
      }
      b.put(key, f);
    }
    return b;
  }
}
