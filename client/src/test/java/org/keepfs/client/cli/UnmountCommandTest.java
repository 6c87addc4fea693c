package org.keepfs.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;
import org.keepfs.client.fs.MemoryFileSystem;
import org.keepfs.client.fuse.FuseApi;
import org.keepfs.client.fuse.FuseMount;
import org.keepfs.client.fuse.FuseMountSupport;
import org.keepfs.client.fuse.MountOptions;
import org.keepfs.client.fuse.MountTable;
import picocli.CommandLine;

@ParameterizedClass(name = "{0}")
@EnumSource(FuseApi.class)
class UnmountCommandTest {
  @Parameter FuseApi api;

  @TempDir Path temp;

  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    CommandLine cli = new CommandLine(new UnmountCommand());
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void unmountsAMountedFilesystem() throws Exception {
    FuseMountSupport.assumeFuseUsable();
    Path mnt = Files.createDirectory(temp.resolve("mnt"));
    try (FuseMount mount = FuseMount.mount(new MemoryFileSystem(), mnt, MountOptions.defaults("unmount-test").withApi(api), Duration.ofSeconds(20))) {
      Run r = run(mnt.toString());
      assertEquals(0, r.exit(), r.err());
      assertEquals("unmounted " + mnt + "\n", r.out());
      assertTrue(MountTable.find(mnt).isEmpty(), "the command removed the mount");
      mount.awaitUnmounted();
      assertTrue(!mount.isServing(), "the mounting side sees its loop end");
    }
    assertTrue(MountTable.find(mnt).isEmpty());
  }

  @Test
  void removesTheMountOfAProcessThatWasKilled() throws Exception {
    FuseMountSupport.assumeFuseUsable();
    Path mnt = Files.createDirectory(temp.resolve("orphan"));
    String javaBinary = ProcessHandle.current().info().command().orElseThrow();
    Process owner = new ProcessBuilder(javaBinary, "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
        "-Dkeepfs.fuse.api=" + api.optionName(), "-cp", System.getProperty("java.class.path"), "org.keepfs.client.fuse.MemoryMountMain", mnt.toString())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(owner.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null && !line.equals("mounted")) {
        // wait for the child to report the mount
      }
      assertEquals("mounted", line);
    } finally {
      owner.destroyForcibly().waitFor();
    }
    try {
      assertTrue(MountTable.find(mnt).isPresent(), "SIGKILL leaves the mount behind, answering ENOTCONN");
      Run r = run(mnt.toString());
      assertEquals(0, r.exit(), r.err());
      assertTrue(MountTable.find(mnt).isEmpty(), "keepfs unmount removed the orphaned mount");
    } finally {
      if (MountTable.find(mnt).isPresent()) {
        org.keepfs.client.fuse.Unmounter.unmount(mnt, true);
      }
    }
  }

  @Test
  void aSymbolicLinkToTheMountPointWorks() throws Exception {
    FuseMountSupport.assumeFuseUsable();
    Path mnt = Files.createDirectory(temp.resolve("real"));
    Path link = Files.createSymbolicLink(temp.resolve("link"), mnt);
    try (FuseMount mount = FuseMount.mount(new MemoryFileSystem(), link, MountOptions.defaults("link-test").withApi(api), Duration.ofSeconds(20))) {
      assertEquals(mnt.toRealPath(), mount.mountPoint());
      Run r = run(link.toString());
      assertEquals(0, r.exit(), r.err());
      assertTrue(MountTable.find(mnt).isEmpty());
    }
  }

  @Test
  void noLazyLeavesABusyMountInPlaceAndSaysWhy() throws Exception {
    FuseMountSupport.assumeFuseUsable();
    Path mnt = Files.createDirectory(temp.resolve("mnt"));
    try (FuseMount mount = FuseMount.mount(new MemoryFileSystem(), mnt, MountOptions.defaults("busy-test").withReadOnly(false).withApi(api),
        Duration.ofSeconds(20))) {
      Files.createDirectory(mnt.resolve("inside"));
      Process holder = new ProcessBuilder("sleep", "300").directory(mnt.resolve("inside").toFile()).start();
      try {
        Run r = run("--no-lazy", mnt.toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("could not unmount " + mnt), r.err());
        assertTrue(r.err().contains("a lazy unmount was not tried"), r.err());
        assertTrue(MountTable.find(mnt).isPresent(), "the busy mount is still there");
      } finally {
        holder.destroyForcibly().waitFor();
      }
    }
    assertTrue(MountTable.find(mnt).isEmpty());
  }

  @Test
  void aDirectoryWithNothingMountedIsAnErrorThatSaysSo() {
    Run r = run(temp.toString());
    assertEquals(1, r.exit());
    assertTrue(r.err().contains("nothing is mounted on " + temp), r.err());
  }

  @Test
  void aMountThatIsNotFuseIsLeftAlone() throws Exception {
    Run r = run("/proc");
    assertEquals(1, r.exit());
    assertTrue(r.err().contains("/proc is a proc mount, not a FUSE mount"), r.err());
    assertTrue(MountTable.find(Path.of("/proc")).isPresent(), "/proc is still mounted");
  }

  @Test
  void theMountPointIsRequired() {
    Run r = run();
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("Missing required parameter: 'MOUNTPOINT'"), r.err());
  }
}
