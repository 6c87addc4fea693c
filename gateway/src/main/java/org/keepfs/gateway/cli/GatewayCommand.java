package org.keepfs.gateway.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.keepfs.fs123.Fs123Protocol;
import org.keepfs.gateway.keep.KeepOptions;
import org.keepfs.gateway.server.GatewayServer;
import org.keepfs.posix.ErrnoException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/**
 * {@code keepfs gateway}: serves POSIX directory exports and Keep collections over fs123 7.2, and the
 * Keep block service and collections API, until SIGTERM or SIGINT.
 */
@Command(
    name = "gateway",
    mixinStandardHelpOptions = true,
    description = {
      "Serve read-only POSIX directories and Keep collections over the fs123 protocol 7.2 (unencrypted),"
          + " so the stock fs123 client and the keepfs client can mount them; Keep blocks under /keep/,"
          + " the collections API under /collections/ and /by_id/<pdh>/manifest; /metrics and /healthz.",
      "",
      "The Keep side runs when any of its options is given (--data, --s3-bucket, ...) or when no export"
          + " is; without --data it keeps its data in $XDG_DATA_HOME/keepfs or ~/.local/share/keepfs.",
      "The fs123 root lists the exports plus by_id/ and collections/.",
      "",
      "Example: keepfs gateway --data /srv/keep --write-token-file tokens --export data=/srv/data",
      "then:    curl -i 'http://127.0.0.1:8123/fs123/7/2/d/data?128;1;0'",
    })
public final class GatewayCommand implements Callable<Integer> {
  private CommandLine.Model.CommandSpec spec;

  /** Enum values such as {@code --collection-store local} are accepted in any case, however the command is run. */
  @Spec
  void spec(CommandLine.Model.CommandSpec spec) {
    this.spec = spec;
    spec.parser().caseInsensitiveEnumValuesAllowed(true);
  }

  @Mixin ListenOptions listen = new ListenOptions();
  @Mixin ProcessOptions process = new ProcessOptions();
  @Mixin ExportOptions exports = new ExportOptions();
  @Mixin KeepOptions keep = new KeepOptions();
  @Mixin CollectionTreeOptions collectionTrees = new CollectionTreeOptions();

  public static void main(String[] args) {
    System.exit(new CommandLine(new GatewayCommand()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Serving serving = serve();
    Runtime.getRuntime().addShutdownHook(new Thread(serving::close, "gateway-shutdown"));
    serving.server().join();
    return 0;
  }

  /**
   * Builds and starts what the parsed options describe, writes the port and pid files and prints the
   * serving line. {@link #call} serves until a signal; tests call this and close the result.
   */
  public Serving serve() throws Exception {
    GatewayAssembly assembly = assemble();
    GatewayServer server;
    try {
      server = assembly.builder().build();
    } catch (IllegalArgumentException | ErrnoException e) {
      assembly.close();
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    try {
      server.start();
    } catch (IOException e) {
      server.close();
      assembly.close();
      throw new CommandLine.ParameterException(spec.commandLine(),
          "cannot listen on " + listen.listen + ": " + e.getMessage() + " (pick another --listen address or port)");
    } catch (Exception e) {
      assembly.close();
      throw e;
    }
    Serving serving = new Serving(server, assembly, process);
    RunFiles.write(process.portfile, Integer.toString(server.port()));
    RunFiles.write(process.pidfile, Long.toString(ProcessHandle.current().pid()));
    PrintWriter out = spec.commandLine().getOut();
    out.println("keepfs gateway: serving " + server.uri() + Fs123Protocol.VERSION_PATH + "/ (" + assembly.describe() + ")");
    out.flush();
    return serving;
  }

  /** What the parsed options describe, not yet opened; {@link GatewayAssembly#builder} opens it. */
  GatewayAssembly assemble() {
    CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
    // The Keep side runs when one of its options is given, or when there is nothing else to serve.
    boolean keepOption = spec.mixins().get("keep").options().stream().anyMatch(parsed::hasMatchedOption);
    boolean keepRequested = keepOption || (exports.exports.isEmpty() && exports.exportRoot == null);
    GatewayAssembly.Choices choices = new GatewayAssembly.Choices(keepRequested, parsed.hasMatchedOption("--data"),
        spec.commandLine().getOut());
    return new GatewayAssembly(listen, process, exports, keep, collectionTrees, choices);
  }
}
