package org.keepfs.proxy;

import java.io.IOException;
import java.nio.file.Path;

/** deploy/squid/squid.conf in a real squid in front of a real gateway. */
class SquidTest extends ProxyContract {
  @Override
  ProxyProcess startProxy(int gatewayPort, Path workDir) throws IOException {
    return Proxies.squid(gatewayPort, workDir);
  }

  @Override
  boolean revalidatesOnRequestMaxAgeZero() {
    return true;
  }
}
