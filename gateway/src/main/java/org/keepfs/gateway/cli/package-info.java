/**
 * The {@code keepfs gateway} command. Its options come in groups ({@link
 * org.keepfs.gateway.cli.ListenOptions}, {@link org.keepfs.gateway.cli.ProcessOptions}, {@link
 * org.keepfs.gateway.cli.ExportOptions}, {@link org.keepfs.gateway.cli.CollectionTreeOptions} and the
 * Keep service's {@code KeepOptions}), each a picocli mixin. {@link
 * org.keepfs.gateway.cli.GatewayCommand} parses and reports; {@code GatewayAssembly} turns the options
 * into a server builder (a new feature mounts its handlers there), with {@code TreeAssembly} building
 * the fs123 tree; {@link org.keepfs.gateway.cli.Serving} is the running gateway and its shutdown;
 * {@code RunFiles} and {@code AccessLogSignals} are the pid/port files and the log-reopen signals.
 */
package org.keepfs.gateway.cli;
