package org.keepfs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ManifestCommandTest {
  private static final String FOO = ". acbd18db4cc2f85cedef654fccc4a4d8+3 0:3:foo\n";
  private static final String FOO_PDH = "1f4b0bc7583c2a7f9102c395f4ffc5e3+45";

  @TempDir Path dir;

  private record Run(int exit, String out, String err) {}

  private static Run run(String stdin, String... args) {
    InputStream saved = System.in;
    System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    try {
      CommandLine cli = Main.commandLine();
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      cli.setOut(new PrintWriter(out));
      cli.setErr(new PrintWriter(err));
      int exit = cli.execute(args);
      return new Run(exit, out.toString(), err.toString());
    } finally {
      System.setIn(saved);
    }
  }

  private Path write(String name, String text) throws Exception {
    return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
  }

  @Test
  void pdhOfAFile() throws Exception {
    Run r = run("", "manifest", "pdh", write("m", FOO).toString());
    assertEquals(0, r.exit(), r.err());
    assertEquals(FOO_PDH + "\n", r.out());
  }

  @Test
  void pdhReadsStandardInputForADashOrNoFile() {
    assertEquals(FOO_PDH + "\n", run(FOO, "manifest", "pdh", "-").out());
    assertEquals(FOO_PDH + "\n", run(FOO, "manifest", "pdh").out());
    assertEquals("d41d8cd98f00b204e9800998ecf8427e+0\n", run("", "manifest", "pdh").out());
  }

  @Test
  void pdhStripsSignaturesButKeepsTheTextOtherwise() {
    Run r = run(". acbd18db4cc2f85cedef654fccc4a4d8+3+A89118b78732c33104a4d6231e8b5a5fa1e4301e3@7fffffff 0:3:foo\n",
        "manifest", "pdh");
    assertEquals(FOO_PDH + "\n", r.out());
  }

  @Test
  void normalizePrintsTheNormalizedText() {
    String input = ". 5348b82a029fd9e971a811ce1f71360b+43 0:43:md5sum.txt\n. 085c37f02916da1cad16f93c54d899b7+41 0:41:md5sum.txt\n"
        + "./été\\040x d41d8cd98f00b204e9800998ecf8427e+0 0:0:.\n";
    Run r = run(input, "manifest", "normalize");
    assertEquals(0, r.exit(), r.err());
    assertEquals(". 5348b82a029fd9e971a811ce1f71360b+43 085c37f02916da1cad16f93c54d899b7+41 0:84:md5sum.txt\n"
        + "./été\\040x d41d8cd98f00b204e9800998ecf8427e+0 0:0:\\056\n", r.out());
  }

  @Test
  void checkCountsFilesDirectoriesAndBytes() throws Exception {
    Path m = write("m", FOO + "./a/b 37b51d194a7513e45b56f6524f2d51f2+3 0:3:bar 0:0:empty\n./c d41d8cd98f00b204e9800998ecf8427e+0 0:0:\\056\n");
    Run r = run("", "manifest", "check", m.toString());
    assertEquals(0, r.exit(), r.err());
    assertEquals("ok: 3 files, 3 directories, 6 bytes\n", r.out());
  }

  @Test
  void anInvalidManifestNamesLineAndTokenAndExitsOne() throws Exception {
    Path m = write("broken", FOO + ". d41d8cd98f00b204e9800998ecf8427e+1 0:1:.\n");
    for (String sub : new String[] {"check", "pdh", "normalize"}) {
      Run r = run("", "manifest", sub, m.toString());
      assertEquals(1, r.exit(), sub);
      assertEquals("", r.out(), sub);
      assertTrue(r.err().contains("line 2, token 3 ('0:1:.')"), r.err());
      assertTrue(r.err().contains("'" + m + "'"), r.err());
    }
  }

  @Test
  void aMissingNewlineOnStandardInputIsNamed() {
    Run r = run(FOO.strip(), "manifest", "check");
    assertEquals(1, r.exit());
    assertTrue(r.err().contains("standard input: line 1: the manifest does not end with a newline"), r.err());
  }

  @Test
  void anUnreadableFileIsAClearErrorWithExitOne() {
    Run missing = run("", "manifest", "check", dir.resolve("nope").toString());
    assertEquals(1, missing.exit());
    assertTrue(missing.err().contains("cannot read '" + dir.resolve("nope") + "': no such file"), missing.err());
    Run directory = run("", "manifest", "pdh", dir.toString());
    assertEquals(1, directory.exit());
    assertTrue(directory.err().contains("it is a directory"), directory.err());
  }

  @Test
  void usageErrorsExitTwo() {
    assertEquals(2, run("", "manifest").exit());
    assertEquals(2, run("", "manifest", "frob").exit());
    assertEquals(2, run("", "manifest", "pdh", "a", "b").exit());
    Run help = run("", "manifest", "check", "--help");
    assertEquals(0, help.exit());
    assertTrue(help.out().contains("Usage: keepfs manifest check"), help.out());
    Run version = run("", "manifest", "pdh", "--version");
    assertEquals(0, version.exit());
    assertTrue(version.out().startsWith("keepfs "), version.out());
  }
}
