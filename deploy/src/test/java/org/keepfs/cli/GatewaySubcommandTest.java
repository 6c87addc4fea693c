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
  }

  @Test
  void gatewayWithoutExportsIsAUsageError() {
    CommandLine cli = Main.commandLine();
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err));
    assertEquals(2, cli.execute("gateway"));
    assertTrue(err.toString().contains("nothing to serve"), err.toString());
  }
}
