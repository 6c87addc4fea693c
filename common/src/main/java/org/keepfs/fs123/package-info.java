/**
 * The fs123 protocol 7.2 wire encodings, shared by the gateway (which writes them) and a client (which
 * reads them): netstrings, the {@code /a} stat and validator lines, {@code /d} directory records and
 * {@code fs123-nextoffset}, {@code /s} statvfs lines, the Cache-Control subset fs123 relies on, ETags,
 * and the request URL grammar. No I/O; errno numbers come from {@link org.keepfs.posix.Errno}.
 */
package org.keepfs.fs123;
