package org.keepfs.gateway.cli;

import java.net.InetSocketAddress;
import picocli.CommandLine.Option;

/** Where the gateway listens. */
public final class ListenOptions {
  public static final int DEFAULT_PORT = 8123;

  @Option(
      names = "--listen",
      paramLabel = "HOST[:PORT]",
      defaultValue = "127.0.0.1:" + DEFAULT_PORT,
      description = "Address to listen on (default: ${DEFAULT-VALUE}). Port 0 picks a free port; see --portfile."
          + " Use [::1]:PORT for IPv6, 0.0.0.0:PORT for all interfaces.")
  String listen;

  /** The parsed address; a bad value is an {@link IllegalArgumentException} naming it. */
  public InetSocketAddress address() {
    return parse(listen);
  }

  static InetSocketAddress parse(String text) {
    String host = text;
    int port = DEFAULT_PORT;
    if (text.startsWith("[")) {
      int close = text.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("--listen '" + text + "': missing ']' after the IPv6 address");
      }
      host = text.substring(1, close);
      String rest = text.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          throw new IllegalArgumentException("--listen '" + text + "': expected ':PORT' after ']'");
        }
        port = port(text, rest.substring(1));
      }
    } else {
      int colon = text.lastIndexOf(':');
      if (colon >= 0) {
        if (text.indexOf(':') != colon) {
          throw new IllegalArgumentException("--listen '" + text + "': write IPv6 addresses as [ADDR]:PORT");
        }
        host = text.substring(0, colon);
        port = port(text, text.substring(colon + 1));
      }
    }
    if (host.isEmpty()) {
      throw new IllegalArgumentException("--listen '" + text + "': no host; use 127.0.0.1 or 0.0.0.0");
    }
    return InetSocketAddress.createUnresolved(host, port);
  }

  private static int port(String text, String p) {
    try {
      int port = Integer.parseInt(p);
      if (port < 0 || port > 65535) {
        throw new NumberFormatException();
      }
      return port;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--listen '" + text + "': port must be 0 to 65535, not '" + p + "'");
    }
  }
}
