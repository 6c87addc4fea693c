/**
 * A read-only POSIX directory served the way fs123's exportd serves one: {@link
 * org.keepfs.gateway.export.PosixExportTree} answers every request kind from the directory, with
 * exportd's validators, ESTALE cookies ({@link org.keepfs.gateway.export.EstaleCookies}) and
 * per-subtree {@code .fs123_cc_rules} files ({@link org.keepfs.gateway.export.CacheRules}). Every path
 * is resolved with {@code openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS)} below the export's root
 * descriptor, so no request can leave the export or pass through a symlink.
 */
package org.keepfs.gateway.export;
