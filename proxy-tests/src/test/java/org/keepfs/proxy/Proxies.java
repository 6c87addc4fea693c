package org.keepfs.proxy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Starts Varnish and Squid with the shipped configurations, changing only the site lines (listen port,
 * gateway address, storage, log and pid paths) and nothing of the caching policy under test.
 */
final class Proxies {
  private Proxies() {}

  /** varnishd -F with deploy/varnish/keepfs.vcl, its backend pointed at the gateway. */
  static ProxyProcess varnish(int gatewayPort, Path workDir) throws IOException {
    Path varnishd = ProxyBinaries.require("varnishd", "varnish");
    String vcl = Files.readString(ProxyBinaries.deployFile("varnish/keepfs.vcl"), StandardCharsets.UTF_8);
    String site = replaceOnce(vcl, "(backend gateway \\{\\s*\\.host = \")[^\"]*(\";\\s*\\.port = \")[^\"]*(\";)",
        "$1127.0.0.1$2" + gatewayPort + "$3");
    Path vclFile = workDir.resolve("keepfs.vcl");
    Files.writeString(vclFile, site, StandardCharsets.UTF_8);
    int port = ProxyProcess.freePort();
    return ProxyProcess.start("varnishd", List.of(varnishd.toString(),
        "-F",                               // foreground: the test owns the process and stops it by PID
        "-j", "none",                       // no privilege separation: the work dir belongs to the test user
        "-n", workDir.resolve("varnish").toString(),
        "-a", "127.0.0.1:" + port,
        "-T", "none",                       // no management port to collide with anything
        "-f", vclFile.toString(),
        "-s", "malloc,512m"), port, workDir, workDir.resolve("varnishd.log"));
  }

  /** squid -N with deploy/squid/squid.conf, memory-only, its cache_peer pointed at the gateway. */
  static ProxyProcess squid(int gatewayPort, Path workDir) throws IOException {
    Path squid = ProxyBinaries.require("squid", "squid");
    // Squid started as root switches to its own user, which must be able to write its logs here.
    Files.setPosixFilePermissions(workDir, PosixFilePermissions.fromString("rwxrwxrwx"));
    int port = ProxyProcess.freePort();
    StringBuilder conf = new StringBuilder();
    for (String line : Files.readAllLines(ProxyBinaries.deployFile("squid/squid.conf"), StandardCharsets.UTF_8)) {
      if (line.startsWith("http_port ")) {
        line = line.replaceFirst("^http_port \\S+", "http_port 127.0.0.1:" + port);
      } else if (line.startsWith("cache_peer ")) {
        line = line.replaceFirst("^cache_peer \\S+ parent \\d+", "cache_peer 127.0.0.1 parent " + gatewayPort);
      } else if (line.startsWith("cache_dir ") || line.startsWith("access_log ") || line.startsWith("coredump_dir ")
          || line.startsWith("cache_mem ")) {
        line = "# (site line replaced by the test) " + line;
      }
      conf.append(line).append('\n');
    }
    conf.append("cache_mem 512 MB\n")
        .append("pid_filename ").append(workDir.resolve("squid.pid")).append('\n')
        .append("cache_log ").append(workDir.resolve("cache.log")).append('\n')
        .append("access_log stdio:").append(workDir.resolve("access.log")).append(" squid\n")
        .append("coredump_dir ").append(workDir).append('\n')
        // Tests stop it at once; the default waits 30 s for clients to finish.
        .append("shutdown_lifetime 0 seconds\n");
    Path confFile = workDir.resolve("squid.conf");
    Files.writeString(confFile, conf, StandardCharsets.UTF_8);
    return ProxyProcess.start("squid", List.of(squid.toString(),
        "-N",                               // no daemon: the test owns the process and stops it by PID
        "-f", confFile.toString()), port, workDir, workDir.resolve("squid.out"));
  }

  private static String replaceOnce(String text, String regex, String replacement) {
    Matcher m = Pattern.compile(regex).matcher(text);
    if (!m.find()) {
      throw new IllegalStateException("the shipped configuration no longer has a part matching " + regex);
    }
    return m.replaceFirst(replacement);
  }
}
