package org.keepfs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the shared test vectors from the folder named by the system property {@code keepfs.shared.dir}. */
public final class SharedVectors {
  private SharedVectors() {}

  /** The parsed JSON of {@code vectors/<file>}; fails the test clearly when the folder is not there. */
  public static JsonNode read(String file) {
    String dir = System.getProperty("keepfs.shared.dir");
    if (dir == null) {
      throw new IllegalStateException("system property keepfs.shared.dir is not set (surefire sets it)");
    }
    Path path = Path.of(dir, "vectors", file);
    try {
      return new ObjectMapper().readTree(Files.readAllBytes(path));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the test vectors " + path, e);
    }
  }
}
