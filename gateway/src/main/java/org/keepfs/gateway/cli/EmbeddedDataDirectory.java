package org.keepfs.gateway.cli;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the gateway keeps blocks and collections when no {@code --data} is given: the XDG base
 * directory rule, {@code $XDG_DATA_HOME/keepfs}, or {@code ~/.local/share/keepfs} when that variable is
 * unset, empty or not absolute (the spec says to ignore relative values).
 */
final class EmbeddedDataDirectory {
  private EmbeddedDataDirectory() {}

  static Path of(Map<String, String> environment, String userHome) {
    String xdg = environment.get("XDG_DATA_HOME");
    if (xdg != null && !xdg.isEmpty() && Path.of(xdg).isAbsolute()) {
      return Path.of(xdg, "keepfs");
    }
    return Path.of(userHome, ".local", "share", "keepfs");
  }
}
