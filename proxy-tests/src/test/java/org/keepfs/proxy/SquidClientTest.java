package org.keepfs.proxy;

import java.io.IOException;
import java.nio.file.Path;

/** The keepfs client through deploy/squid/squid.conf (reverse proxy) in a real squid. */
class SquidClientTest extends ClientThroughProxyContract {
  @Override
  ProxyProcess startProxy(String address, int port, Path workDir, int cacheMib) throws IOException {
    return Proxies.squid(address, port, workDir, cacheMib);
  }
}
