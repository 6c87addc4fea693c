/**
 * Keep blocks over HTTP under {@code /keep/}: keepstore-compatible GET, HEAD and PUT, plus aligned
 * sub-block pieces ({@code /keep/<locator>/<n>}) and single byte ranges so that proxies can cache
 * parts of a block on their own.
 */
package org.keepfs.gateway.keep;
