/** The client's subcommands of the {@code keepfs} command line. */
package org.keepfs.client.cli;
