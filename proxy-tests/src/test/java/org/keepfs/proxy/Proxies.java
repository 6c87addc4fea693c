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

  /** Cache memory of the raw-HTTP contract tests (64 MiB of chunks, a 64 MiB block, listings). */
  static final int DEFAULT_CACHE_MIB = 512;

  /** varnishd -F with deploy/varnish/keepfs.vcl, its backend pointed at the gateway. */
  static ProxyProcess varnish(int gatewayPort, Path workDir) throws IOException {
    return varnish(gatewayPort, workDir, DEFAULT_CACHE_MIB);
  }

  /** varnishd -F with deploy/varnish/keepfs.vcl and {@code cacheMib} of memory storage. */
  static ProxyProcess varnish(int gatewayPort, Path workDir, int cacheMib) throws IOException {
    return varnish("127.0.0.1", gatewayPort, workDir, cacheMib);
  }

  /** varnishd -F with deploy/varnish/keepfs.vcl, its backend at {@code gatewayAddress} (an IP address). */
  static ProxyProcess varnish(String gatewayAddress, int gatewayPort, Path workDir, int cacheMib) throws IOException {
    Path varnishd = ProxyBinaries.require("varnishd", "varnish");
    String vcl = Files.readString(ProxyBinaries.deployFile("varnish/keepfs.vcl"), StandardCharsets.UTF_8);
    String site = replaceOnce(vcl, "(backend gateway \\{\\s*\\.host = \")[^\"]*(\";\\s*\\.port = \")[^\"]*(\";)",
        "$1" + gatewayAddress + "$2" + gatewayPort + "$3");
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
        "-s", "malloc," + cacheMib + "m"), port, workDir, workDir.resolve("varnishd.log"));
  }

  /** squid -N with deploy/squid/squid.conf, memory-only, its cache_peer pointed at the gateway. */
  static ProxyProcess squid(int gatewayPort, Path workDir) throws IOException {
    return squid(gatewayPort, workDir, DEFAULT_CACHE_MIB);
  }

  /** squid -N with deploy/squid/squid.conf and {@code cacheMib} of memory cache, no disk cache. */
  static ProxyProcess squid(int gatewayPort, Path workDir, int cacheMib) throws IOException {
    return squid("127.0.0.1", gatewayPort, workDir, cacheMib);
  }

  /** squid -N with deploy/squid/squid.conf, its cache_peer at {@code gatewayAddress} (an IP address). */
  static ProxyProcess squid(String gatewayAddress, int gatewayPort, Path workDir, int cacheMib) throws IOException {
    Path squid = ProxyBinaries.require("squid", "squid");
    int port = ProxyProcess.freePort();
    StringBuilder conf = new StringBuilder();
    for (String line : Files.readAllLines(ProxyBinaries.deployFile("squid/squid.conf"), StandardCharsets.UTF_8)) {
      if (line.startsWith("http_port ")) {
        line = line.replaceFirst("^http_port \\S+", "http_port 127.0.0.1:" + port);
      } else if (line.startsWith("cache_peer ")) {
        line = line.replaceFirst("^cache_peer \\S+ parent \\d+", "cache_peer " + gatewayAddress + " parent " + gatewayPort);
      } else if (isSquidSiteLine(line)) {
        line = "# (site line replaced by the test) " + line;
      }
      conf.append(line).append('\n');
    }
    return startSquid(squid, conf, port, workDir, cacheMib);
  }

  /**
   * Squid as a <em>forward</em> proxy (what {@code keepfs mount --proxy URL} and {@code http_proxy}
   * talk to) with the caching policy of deploy/squid/squid.conf: the reverse-proxy lines ({@code
   * accel} port, the gateway as {@code cache_peer}, {@code never_direct}) are dropped, and requests
   * for {@code gatewayHost} only are allowed.
   */
  static ProxyProcess forwardSquid(String gatewayHost, Path workDir, int cacheMib) throws IOException {
    Path squid = ProxyBinaries.require("squid", "squid");
    int port = ProxyProcess.freePort();
    StringBuilder conf = new StringBuilder();
    for (String line : Files.readAllLines(ProxyBinaries.deployFile("squid/squid.conf"), StandardCharsets.UTF_8)) {
      if (line.startsWith("http_port ")) {
        line = "http_port 127.0.0.1:" + port;
      } else if (line.startsWith("acl keepfs_site ")) {
        line = "acl keepfs_site dstdomain " + gatewayHost;
      } else if (line.startsWith("cache_peer") || line.startsWith("never_direct ") || isSquidSiteLine(line)) {
        line = "# (reverse-proxy or site line replaced by the test) " + line;
      }
      conf.append(line).append('\n');
    }
    return startSquid(squid, conf, port, workDir, cacheMib);
  }

  private static boolean isSquidSiteLine(String line) {
    return line.startsWith("cache_dir ") || line.startsWith("access_log ") || line.startsWith("coredump_dir ")
        || line.startsWith("cache_mem ");
  }

  private static ProxyProcess startSquid(Path squid, StringBuilder conf, int port, Path workDir, int cacheMib)
      throws IOException {
    // Squid started as root switches to its own user, which must be able to write its logs here.
    Files.setPosixFilePermissions(workDir, PosixFilePermissions.fromString("rwxrwxrwx"));
    conf.append("cache_mem ").append(cacheMib).append(" MB\n")
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
