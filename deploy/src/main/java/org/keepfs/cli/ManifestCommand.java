package org.keepfs.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.keepfs.manifest.Manifest;
import org.keepfs.manifest.ManifestFormatException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code keepfs manifest pdh|normalize|check [FILE|-]}: manifest tools for scripts. */
@Command(
    name = "manifest",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Work with manifest text: its portable data hash, its normalized form, whether it is valid.",
    subcommands = {
      ManifestCommand.Pdh.class,
      ManifestCommand.Normalize.class,
      ManifestCommand.Check.class,
    })
final class ManifestCommand implements Runnable {
  /** Exit status for an invalid manifest or an unreadable input. */
  static final int INVALID = 1;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(),
        "Missing subcommand: pdh, normalize or check (try 'keepfs manifest --help').");
  }

  /** What the three subcommands share: one input, read whole, and the way errors are reported. */
  abstract static class ManifestInput implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE",
        description = "The manifest file; '-' or nothing reads standard input.")
    String file;

    @Override
    public final Integer call() {
      byte[] text;
      try {
        text = read();
      } catch (IOException e) {
        return fail("cannot read " + source() + ": " + reason(e));
      }
      try {
        return run(Manifest.parse(text));
      } catch (ManifestFormatException e) {
        return fail(source() + ": " + e.getMessage());
      }
    }

    abstract int run(Manifest manifest);

    final void print(String text) {
      spec.commandLine().getOut().print(text);
      spec.commandLine().getOut().flush();
    }

    private byte[] read() throws IOException {
      if (file == null || file.equals("-")) {
        return System.in.readAllBytes();
      }
      Path path = Path.of(file);
      if (Files.isDirectory(path)) {
        throw new IOException("it is a directory");
      }
      return Files.readAllBytes(path);
    }

    private String source() {
      return file == null || file.equals("-") ? "standard input" : "'" + file + "'";
    }

    private static String reason(IOException e) {
      if (e instanceof NoSuchFileException) {
        return "no such file";
      }
      if (e instanceof AccessDeniedException) {
        return "permission denied";
      }
      return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private int fail(String message) {
      spec.commandLine().getErr().println("keepfs manifest " + spec.name() + ": " + message);
      spec.commandLine().getErr().flush();
      return INVALID;
    }
  }

  @Command(name = "pdh", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
      description = "Check the manifest and print the portable data hash of its text as given (hints stripped).")
  static final class Pdh extends ManifestInput {
    @Override
    int run(Manifest manifest) {
      print(manifest.portableDataHash() + "\n");
      return 0;
    }
  }

  @Command(name = "normalize", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
      description = "Check the manifest and print its normalized text, as the reference SDKs write it.")
  static final class Normalize extends ManifestInput {
    @Override
    int run(Manifest manifest) {
      print(new String(manifest.normalizedText(), StandardCharsets.UTF_8));
      return 0;
    }
  }

  @Command(name = "check", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
      description = "Check the manifest: print 'ok: N files, M directories, B bytes' and exit 0, or name the"
          + " line and token at fault on standard error and exit 1.")
  static final class Check extends ManifestInput {
    @Override
    int run(Manifest manifest) {
      print("ok: %d files, %d directories, %d bytes%n".formatted(
          manifest.root().fileCount(), manifest.root().directoryCount(), manifest.root().totalBytes()));
      return 0;
    }
  }
}
