package org.keepfs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {
  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    CommandLine cli = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void versionNamesTheProjectAndTheJava() {
    Run r = run("--version");
    assertEquals(0, r.exit());
    assertTrue(r.out().startsWith("keepfs "), r.out());
    assertTrue(r.out().contains("Java 25") || r.out().contains("Java 2"), r.out());
  }

  @Test
  void helpListsSubcommands() {
    Run r = run("--help");
    assertEquals(0, r.exit());
    assertTrue(r.out().contains("Usage: keepfs"), r.out());
  }

  @Test
  void missingSubcommandIsAUsageError() {
    Run r = run();
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("Missing subcommand"), r.err());
  }

  @Test
  void unknownSubcommandIsAUsageError() {
    Run r = run("frobnicate");
    assertEquals(2, r.exit());
  }

  @Test
  void unmountIsRegistered() {
    Run r = run("unmount", "--help");
    assertEquals(0, r.exit());
    assertTrue(r.out().contains("MOUNTPOINT"), r.out());
  }
}
