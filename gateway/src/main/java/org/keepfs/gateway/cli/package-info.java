/**
 * The {@code keepfs gateway} command. Its options come in groups ({@link
 * org.keepfs.gateway.cli.ListenOptions}, {@link org.keepfs.gateway.cli.ProcessOptions}, {@link
 * org.keepfs.gateway.cli.ExportOptions}), each a picocli mixin; a new feature adds its own mixin and
 * mounts its handlers in {@link org.keepfs.gateway.cli.GatewayCommand#assemble}.
 */
package org.keepfs.gateway.cli;
