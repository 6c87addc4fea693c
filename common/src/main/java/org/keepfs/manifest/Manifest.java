package org.keepfs.manifest;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * A collection's manifest: an immutable tree, and for a parsed manifest the text it was parsed from.
 *
 * <p>{@link #text()} gives back a parsed manifest's text byte for byte (a manifest must not be rewritten
 * by a reader that did not change it: its portable data hash is over the stored text), and the normalized
 * text for a tree that was built. {@link #normalizedText()} always normalizes.
 */
public final class Manifest {
  /** The empty collection: no files, text "". */
  public static final Manifest EMPTY = new Manifest(Directory.EMPTY, new byte[0]);

  private final Directory root;
  private final byte[] source; // null for a built tree

  private Manifest(Directory root, byte[] source) {
    this.root = root;
    this.source = source;
  }

  /** Parses UTF-8 manifest text. The array is copied. */
  public static Manifest parse(byte[] text) {
    byte[] copy = text.clone();
    return new Manifest(ManifestParser.parse(copy), copy);
  }

  /** Parses manifest text. */
  public static Manifest parse(String text) {
    byte[] bytes;
    try {
      ByteBuffer encoded = StandardCharsets.UTF_8.newEncoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .encode(CharBuffer.wrap(text));
      bytes = Arrays.copyOf(encoded.array(), encoded.limit());
    } catch (CharacterCodingException e) {
      int line = 1;
      int at = 0;
      for (int i = 0; i < text.length() && !Character.isSurrogate(text.charAt(i)); i++, at++) {
        if (text.charAt(i) == '\n') {
          line++;
        }
      }
      throw new ManifestFormatException(line, 0, "",
          "the text has an unpaired surrogate at char " + at + " and cannot be UTF-8");
    }
    return new Manifest(ManifestParser.parse(bytes), bytes);
  }

  /** A manifest of a built tree; its text is the normalized text. */
  public static Manifest of(Directory root) {
    return new Manifest(root, null);
  }

  /** The root directory. */
  public Directory root() {
    return root;
  }

  /** The entry at {@code path} ({@code /}-separated, relative to the root; "" is the root). */
  public Optional<Node> lookup(String path) {
    return root.resolve(path);
  }

  /** True when this manifest was parsed and {@link #text()} is the text it was parsed from. */
  public boolean hasSourceText() {
    return source != null;
  }

  /** The parsed text byte for byte, or the normalized text of a built tree. A fresh array. */
  public byte[] text() {
    return source != null ? source.clone() : normalizedText();
  }

  /** The normalized text of the tree (see {@link ManifestWriter}). A fresh array. */
  public byte[] normalizedText() {
    return ManifestWriter.normalized(root, source != null ? source.length : 64);
  }

  /** The portable data hash of {@link #text()}: the name the collection is stored under. */
  public PortableDataHash portableDataHash() {
    return source != null ? PortableDataHash.ofText(source) : PortableDataHash.ofText(normalizedText());
  }

  /** True when both trees hold the same names, kinds and file contents (texts may differ). */
  public boolean sameTreeAs(Manifest other) {
    return root.sameTreeAs(other.root);
  }

  @Override
  public String toString() {
    return "Manifest[" + root.fileCount() + " files, " + root.directoryCount() + " directories]";
  }
}
