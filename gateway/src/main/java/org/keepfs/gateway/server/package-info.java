/**
 * The gateway's HTTP server assembly: {@link org.keepfs.gateway.server.GatewayServer} puts an embedded
 * Jetty 12 (virtual threads, bounded request sizes) together with the fs123 handler, {@code /metrics},
 * {@code /healthz}, an optional access log, and any other Jetty handlers mounted at path prefixes (Keep
 * blocks, collections), all sharing one Micrometer registry.
 */
package org.keepfs.gateway.server;
