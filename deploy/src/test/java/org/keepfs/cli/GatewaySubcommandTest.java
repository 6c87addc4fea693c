package org.keepfs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class GatewaySubcommandTest {
  @Test
  void gatewayIsRegisteredWithItsHelp() {
    CommandLine cli = Main.commandLine();
    StringWriter out = new StringWriter();
    cli.setOut(new PrintWriter(out));
    assertEquals(0, cli.execute("gateway", "--help"));
    assertTrue(out.toString().contains("--export=NAME=DIR"), out.toString());
    assertTrue(out.toString().contains("--listen"), out.toString());
    assertTrue(out.toString().contains("--data=DIR"), "the Keep options are mixed in: " + out);
    assertTrue(out.toString().contains("--collection-max-age"), out.toString());
  }

  @Test
  void aMalformedExportIsAUsageError() {
    CommandLine cli = Main.commandLine();
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err));
    assertEquals(2, cli.execute("gateway", "--export", "nodir"));
    assertTrue(err.toString().contains("expected NAME=DIR"), err.toString());
  }
}
