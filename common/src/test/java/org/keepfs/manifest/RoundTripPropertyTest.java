package org.keepfs.manifest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.keepfs.locator.Locator;

/**
 * Parse, write, parse gives the same tree, over thousands of generated manifests with odd names and
 * every accepted spelling (unescaped colons, needless escapes, {@code \\}, directory markers, files split
 * over tokens and lines, {@code /} in file names). Each generated manifest also carries what its tree
 * must be, worked out independently of the parser, and the parsed tree is checked against it.
 */
class RoundTripPropertyTest {
  private static final String[] FRAGMENTS = {
    "a", "b c", "x:y", "back\\slash", "new\nline", "tab\there", "日本", "é", "...", "-", "*", "\u0000",
    "\u0001", "\u007f", "😀", "\\056", "0:0:", "+", "d41d8cd98f00b204e9800998ecf8427e+0", " ", ":", "\\", "z",
  };
  private static final List<Locator> BLOCKS = List.of(
      Locator.parse("d41d8cd98f00b204e9800998ecf8427e+0"),
      Locator.parse("acbd18db4cc2f85cedef654fccc4a4d8+3"),
      Locator.parse("37b51d194a7513e45b56f6524f2d51f2+3+K@xyzzy"),
      Locator.parse("5348b82a029fd9e971a811ce1f71360b+43"),
      Locator.parse("085c37f02916da1cad16f93c54d899b7+41+Zfoo"),
      Locator.parse("8b22da26f9f433dea0a10e5ec66d73ba+100"));

  /** The tree a generated manifest must parse into: file path to its segments, and directory paths. */
  private record Expected(Map<String, List<Segment>> files, Set<String> directories) {}

  private static final int MANIFESTS = 3000;

  @Test
  void parseWriteParseKeepsTheTree() {
    Random random = new Random(20261123L);
    int files = 0;
    for (int i = 0; i < MANIFESTS; i++) {
      Expected expected = new Expected(new TreeMap<>(), new TreeSet<>());
      String text = manifest(random, expected);
      Manifest parsed = Manifest.parse(text);
      assertArrayEquals(text.getBytes(StandardCharsets.UTF_8), parsed.text(), "case " + i);
      assertMatches(expected, parsed, "case " + i + ":\n" + text);

      byte[] normalized = parsed.normalizedText();
      Manifest reparsed = Manifest.parse(normalized);
      String context = "case " + i + ":\n" + text + "normalized:\n" + new String(normalized, StandardCharsets.UTF_8);
      assertTrue(parsed.sameTreeAs(reparsed), context);
      assertArrayEquals(normalized, reparsed.normalizedText(), context);
      files += expected.files().size();
    }
    assertTrue(files > MANIFESTS, "the generator made files: " + files);
  }

  @Test
  void builtTreesRoundTripThroughText() {
    Random random = new Random(7L);
    for (int i = 0; i < MANIFESTS; i++) {
      TreeBuilder builder = new TreeBuilder();
      Expected expected = new Expected(new TreeMap<>(), new TreeSet<>());
      int n = random.nextInt(12);
      for (int f = 0; f < n; f++) {
        String dir = directoryPath(random, random.nextInt(3));
        if (random.nextInt(5) == 0) {
          if (!dir.isEmpty()) {
            builder.addDirectory(dir);
            addDirectories(expected, dir);
          }
          continue;
        }
        String path = dir.isEmpty() ? fileName(random) : dir + "/" + fileName(random);
        List<Segment> segments = new ArrayList<>();
        for (int s = random.nextInt(4); s > 0; s--) {
          Locator block = BLOCKS.get(1 + random.nextInt(BLOCKS.size() - 1));
          long offset = random.nextLong(block.size());
          segments.add(new Segment(block, offset, 1 + random.nextLong(block.size() - offset)));
        }
        builder.appendToFile(path, segments);
        List<Segment> expectedSegments = expected.files().computeIfAbsent(path, k -> new ArrayList<>());
        segments.forEach(segment -> appendMerged(expectedSegments, segment));
        addDirectories(expected, dir);
      }
      Manifest built = Manifest.of(builder.build());
      assertMatches(expected, built, "built case " + i);
      Manifest parsed = Manifest.parse(built.text());
      assertTrue(built.sameTreeAs(parsed), "built case " + i + ":\n" + new String(built.text(), StandardCharsets.UTF_8));
    }
  }

  private static String manifest(Random random, Expected expected) {
    StringBuilder text = new StringBuilder();
    int streams = random.nextInt(6);
    for (int line = 0; line < streams; line++) {
      String dir = directoryPath(random, random.nextInt(3));
      addDirectories(expected, dir);
      text.append(".");
      for (String component : dir.isEmpty() ? new String[0] : dir.split("/")) {
        text.append('/').append(escape(random, component));
      }
      List<Locator> blocks = new ArrayList<>();
      List<Long> starts = new ArrayList<>();
      long length = 0;
      for (int b = 1 + random.nextInt(4); b > 0; b--) {
        Locator block = BLOCKS.get(random.nextInt(BLOCKS.size()));
        blocks.add(block);
        starts.add(length);
        length += block.size();
        text.append(' ').append(block);
      }
      for (int t = 1 + random.nextInt(8); t > 0; t--) {
        String sub = directoryPath(random, random.nextInt(4) == 0 ? 1 : 0);
        String dirOfFile = join(dir, sub);
        addDirectories(expected, dirOfFile);
        String spelledSub = sub.isEmpty() ? "" : escape(random, sub) + "/";
        if (random.nextInt(8) == 0) {
          long position = random.nextLong(length + 1);
          text.append(' ').append(position).append(":0:").append(spelledSub).append(random.nextBoolean() ? "." : "\\056");
          continue;
        }
        String name = fileName(random);
        long position = random.nextLong(length + 1);
        long size = random.nextLong(length - position + 1);
        String digits = random.nextInt(10) == 0 ? "00" + position : Long.toString(position);
        text.append(' ').append(digits).append(':').append(size).append(':').append(spelledSub).append(escape(random, name));
        List<Segment> segments = expected.files().computeIfAbsent(join(dirOfFile, name), k -> new ArrayList<>());
        addSegments(segments, blocks, starts, position, size);
      }
      text.append('\n');
    }
    return text.toString();
  }

  /** Cuts stream bytes [position, position+size) into block segments, merging as the model does. */
  private static void addSegments(List<Segment> out, List<Locator> blocks, List<Long> starts, long position, long size) {
    for (int b = 0; b < blocks.size() && size > 0; b++) {
      long start = starts.get(b);
      long end = start + blocks.get(b).size();
      if (end <= position) {
        continue;
      }
      long offset = position - start;
      long take = Math.min(size, end - position);
      appendMerged(out, new Segment(blocks.get(b), offset, take));
      position += take;
      size -= take;
    }
  }

  private static void appendMerged(List<Segment> out, Segment next) {
    Segment last = out.isEmpty() ? null : out.getLast();
    if (last != null && last.block().equals(next.block()) && last.offset() + last.length() == next.offset()) {
      out.set(out.size() - 1, new Segment(last.block(), last.offset(), last.length() + next.length()));
    } else {
      out.add(next);
    }
  }

  private static void assertMatches(Expected expected, Manifest manifest, String context) {
    for (Map.Entry<String, List<Segment>> e : expected.files().entrySet()) {
      Node node = manifest.lookup(e.getKey()).orElseThrow(() -> new AssertionError("missing " + e.getKey() + " in " + context));
      File file = (File) node;
      assertEquals(e.getValue(), file.segments(), context);
      assertEquals(e.getValue().stream().mapToLong(Segment::length).sum(), file.size(), context);
    }
    for (String dir : expected.directories()) {
      assertTrue(manifest.lookup(dir).orElseThrow() instanceof Directory, context);
    }
    assertEquals(expected.files().size(), manifest.root().fileCount(), context);
    assertEquals(expected.directories().size(), manifest.root().directoryCount(), context);
  }

  private static void addDirectories(Expected expected, String dir) {
    for (int slash = dir.indexOf('/'); slash >= 0; slash = dir.indexOf('/', slash + 1)) {
      expected.directories().add(dir.substring(0, slash));
    }
    if (!dir.isEmpty()) {
      expected.directories().add(dir);
    }
  }

  private static String join(String dir, String name) {
    return dir.isEmpty() ? name : name.isEmpty() ? dir : dir + "/" + name;
  }

  /** Directory names end in "_d" and file names never do, so the two never clash. */
  private static String directoryPath(Random random, int depth) {
    StringBuilder path = new StringBuilder();
    for (int i = 0; i < depth; i++) {
      if (i > 0) {
        path.append('/');
      }
      path.append(FRAGMENTS[random.nextInt(FRAGMENTS.length)]).append("_d");
    }
    return path.toString();
  }

  private static String fileName(Random random) {
    String name = FRAGMENTS[random.nextInt(FRAGMENTS.length)];
    if (random.nextBoolean()) {
      name += FRAGMENTS[random.nextInt(FRAGMENTS.length)];
    }
    return name;
  }

  /**
   * Spells a name the ways writers and people do: always escaping what must be escaped, sometimes
   * leaving a colon raw, sometimes escaping a plain ASCII byte needlessly, sometimes writing a backslash
   * as \\. (Escaping part of a multi-byte character cannot be spelled in a Java string.)
   */
  private static String escape(Random random, String name) {
    StringBuilder out = new StringBuilder();
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      int v = b & 0xff;
      boolean must = v <= 0x20 || v == '\\';
      if (v == '\\' && random.nextInt(3) == 0) {
        out.append("\\\\");
      } else if (must || (v == ':' && random.nextBoolean()) || (v != '/' && v < 0x80 && random.nextInt(20) == 0)) {
        out.append('\\').append((char) ('0' + (v >> 6))).append((char) ('0' + ((v >> 3) & 7))).append((char) ('0' + (v & 7)));
      } else {
        out.append((char) v);
      }
    }
    // The loop wrote raw bytes as ISO-8859-1 chars; turn them back into the UTF-8 text they spell.
    return new String(out.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
  }
}
