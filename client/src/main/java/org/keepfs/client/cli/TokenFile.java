package org.keepfs.client.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The rule for a {@code --token-file}: one token of printable ASCII, surrounding white space ignored. */
final class TokenFile {
  private TokenFile() {}

  /** The token in {@code file}; IllegalArgumentException naming the option and the problem otherwise. */
  static String read(Path file) {
    String t;
    try {
      t = Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new IllegalArgumentException("--token-file " + file + " cannot be read: " + e.getMessage());
    }
    if (t.isEmpty() || t.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
      throw new IllegalArgumentException("--token-file " + file + " must hold one token of printable ASCII without spaces");
    }
    return t;
  }
}
