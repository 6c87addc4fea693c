package org.keepfs.gateway.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pid and port files a supervisor reads: written whole or not at all (a reader never sees half a
 * number), removed on a clean shutdown.
 */
final class RunFiles {
  private static final Logger LOG = LoggerFactory.getLogger(RunFiles.class);

  private RunFiles() {}

  /** Writes {@code content} and a newline to {@code file} by rename; does nothing when {@code file} is null. */
  static void write(Path file, String content) throws IOException {
    if (file == null) {
      return;
    }
    Path abs = file.toAbsolutePath();
    Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
    Files.writeString(tmp, content + "\n", StandardCharsets.US_ASCII);
    Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Removes {@code file} if it is there; a failure is logged, since shutdown goes on regardless. */
  static void delete(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        LOG.warn("cannot remove {}: {}", file, e.getMessage());
      }
    }
  }
}
