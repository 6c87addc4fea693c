package org.keepfs.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** Reads the version Maven wrote into {@code version.properties} at build time. */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    Properties props = new Properties();
    try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        props.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new String[] {
      "keepfs " + props.getProperty("version", "unknown"),
      "Java " + Runtime.version() + " (" + System.getProperty("java.vendor", "?") + ")"
    };
  }
}
