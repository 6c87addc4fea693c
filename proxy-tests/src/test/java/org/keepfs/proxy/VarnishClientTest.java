package org.keepfs.proxy;

import java.io.IOException;
import java.nio.file.Path;

/** The keepfs client through deploy/varnish/keepfs.vcl in a real varnishd. */
class VarnishClientTest extends ClientThroughProxyContract {
  @Override
  ProxyProcess startProxy(String address, int port, Path workDir, int cacheMib) throws IOException {
    return Proxies.varnish(address, port, workDir, cacheMib);
  }
}
