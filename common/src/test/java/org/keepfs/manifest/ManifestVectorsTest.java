package org.keepfs.manifest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.keepfs.SharedVectors;

/** Every case of vectors/pdh.json and vectors/normalize.json, plus the other normalization examples of keep-arvados.md. */
class ManifestVectorsTest {
  static Stream<Arguments> pdhCases() {
    List<Arguments> cases = new ArrayList<>();
    for (JsonNode c : SharedVectors.read("pdh.json").get("cases")) {
      cases.add(Arguments.of(c.get("name").asText(), c.get("manifest_text").asText(), c.get("portable_data_hash").asText()));
    }
    return cases.stream();
  }

  static Stream<Arguments> normalizeCases() {
    List<Arguments> cases = new ArrayList<>();
    for (JsonNode c : SharedVectors.read("normalize.json").get("cases")) {
      cases.add(Arguments.of(c.get("name").asText(), c.get("input").asText(), c.get("normalized").asText()));
    }
    // keep-arvados.md section 1.7, m5: a third line continuing ./foo/bar in the same block.
    cases.add(Arguments.of("contiguous_segments_merged",
        ". 204e43b8a1185621ca55a94839582e6f+67108864 0:3:foo/bar\n"
            + "./zzz 204e43b8a1185621ca55a94839582e6f+67108864 0:999:zzz\n"
            + "./foo 204e43b8a1185621ca55a94839582e6f+67108864 3:3:bar\n",
        "./foo 204e43b8a1185621ca55a94839582e6f+67108864 0:6:bar\n"
            + "./zzz 204e43b8a1185621ca55a94839582e6f+67108864 0:999:zzz\n"));
    // Escapes survive: names that are literally "\056 Test" and "\056".
    cases.add(Arguments.of("escaped_backslash_names",
        "./\\134056\\040Test d41d8cd98f00b204e9800998ecf8427e+0 0:0:\\134056\n",
        "./\\134056\\040Test d41d8cd98f00b204e9800998ecf8427e+0 0:0:\\134056\n"));
    cases.add(Arguments.of("control_characters_and_colon_and_backslash",
        ". d41d8cd98f00b204e9800998ecf8427e+0 0:0:a\\000b 0:0:c\\011d 0:0:e\\012f 0:0:g\\072h 0:0:i\\134400\n",
        ". d41d8cd98f00b204e9800998ecf8427e+0 0:0:a\\000b 0:0:c\\011d 0:0:e\\012f 0:0:g\\072h 0:0:i\\134400\n"));
    cases.add(Arguments.of("empty_directories_with_spaces",
        "./foo\\040bar/baz\\040waz d41d8cd98f00b204e9800998ecf8427e+0 0:0:\\056\n",
        "./foo\\040bar/baz\\040waz d41d8cd98f00b204e9800998ecf8427e+0 0:0:\\056\n"));
    cases.add(Arguments.of("unescaped_marker_and_colons_normalize",
        "./d d41d8cd98f00b204e9800998ecf8427e+0 0:0:. 0:0:\\056\n. acbd18db4cc2f85cedef654fccc4a4d8+3 0:3:sha256:d8\n",
        ". acbd18db4cc2f85cedef654fccc4a4d8+3 0:3:sha256\\072d8\n./d d41d8cd98f00b204e9800998ecf8427e+0 0:0:\\056\n"));
    cases.add(Arguments.of("depth_first_not_flat_sort",
        "./a-b d41d8cd98f00b204e9800998ecf8427e+0 0:0:x\n./a/b d41d8cd98f00b204e9800998ecf8427e+0 0:0:y\n"
            + "./a d41d8cd98f00b204e9800998ecf8427e+0 0:0:z\n",
        "./a d41d8cd98f00b204e9800998ecf8427e+0 0:0:z\n./a/b d41d8cd98f00b204e9800998ecf8427e+0 0:0:y\n"
            + "./a-b d41d8cd98f00b204e9800998ecf8427e+0 0:0:x\n"));
    cases.add(Arguments.of("go_mkdir_order_is_rewritten_when_normalizing",
        "./dir1 3858f62230ac3c915f300c664312c63f+6 3:3:bar 0:3:foo\n",
        "./dir1 3858f62230ac3c915f300c664312c63f+6 3:3:bar 0:3:foo\n"));
    cases.add(Arguments.of("blocks_in_order_of_first_use_by_sorted_files",
        ". 37b51d194a7513e45b56f6524f2d51f2+3 acbd18db4cc2f85cedef654fccc4a4d8+3 0:3:b 3:3:a\n",
        ". acbd18db4cc2f85cedef654fccc4a4d8+3 37b51d194a7513e45b56f6524f2d51f2+3 0:3:a 3:3:b\n"));
    cases.add(Arguments.of("only_subdirectories_no_root_line",
        ". d41d8cd98f00b204e9800998ecf8427e+0 0:0:a/b/c\n",
        "./a/b d41d8cd98f00b204e9800998ecf8427e+0 0:0:c\n"));
    cases.add(Arguments.of("empty_collection", ". d41d8cd98f00b204e9800998ecf8427e+0 0:0:.\n", ""));
    cases.add(Arguments.of("hints_kept_and_non_contiguous_segments_split",
        ". acbd18db4cc2f85cedef654fccc4a4d8+3+K@xyzzy 37b51d194a7513e45b56f6524f2d51f2+3 0:1:f 4:2:f 1:1:f\n",
        ". acbd18db4cc2f85cedef654fccc4a4d8+3+K@xyzzy 37b51d194a7513e45b56f6524f2d51f2+3 0:1:f 4:2:f 1:1:f\n"));
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pdhCases")
  void portableDataHashOfTheText(String name, String text, String expected) {
    assertEquals(expected, PortableDataHash.ofText(text).toString());
    assertEquals(expected, PortableDataHash.ofText(text.getBytes(StandardCharsets.UTF_8)).toString());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pdhCases")
  void aParsedManifestKeepsItsTextAndItsHash(String name, String text, String expected) {
    Manifest m = Manifest.parse(text);
    assertTrue(m.hasSourceText());
    assertArrayEquals(text.getBytes(StandardCharsets.UTF_8), m.text());
    assertEquals(expected, m.portableDataHash().toString());
    assertEquals(PortableDataHash.parse(expected), m.portableDataHash());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("normalizeCases")
  void normalizesAsTheReferenceSdks(String name, String input, String expected) {
    Manifest m = Manifest.parse(input);
    assertEquals(expected, new String(m.normalizedText(), StandardCharsets.UTF_8));
    Manifest again = Manifest.parse(expected);
    assertEquals(expected, new String(again.normalizedText(), StandardCharsets.UTF_8), "normalizing is idempotent");
    assertTrue(m.sameTreeAs(again));
    assertEquals(PortableDataHash.ofText(expected), PortableDataHash.ofNormalized(m));
    assertEquals(expected, new String(Manifest.of(m.root()).text(), StandardCharsets.UTF_8), "a built tree's text is normalized");
  }
}
