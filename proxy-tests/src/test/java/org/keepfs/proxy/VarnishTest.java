package org.keepfs.proxy;

import java.io.IOException;
import java.nio.file.Path;

/** deploy/varnish/keepfs.vcl in a real varnishd in front of a real gateway. */
class VarnishTest extends ProxyContract {
  @Override
  ProxyProcess startProxy(int gatewayPort, Path workDir) throws IOException {
    return Proxies.varnish(gatewayPort, workDir);
  }

  @Override
  boolean revalidatesOnRequestMaxAgeZero() {
    return false;
  }
}
