/**
 * fs123 protocol 7.2 over HTTP: {@link org.keepfs.gateway.fs123.Fs123Handler} is the Jetty handler that
 * parses {@code <prefix>/fs123/7/2/<F><path>[?query]}, asks an {@link
 * org.keepfs.gateway.tree.Fs123Tree}, and writes the reply with exactly the headers the stock client
 * relies on ({@code fs123-errno}, {@code Cache-Control} with max-age, {@code fs123-estalecookie},
 * {@code fs123-nextoffset}, quoted decimal {@code ETag} with 304s on {@code /d} and {@code /f}).
 */
package org.keepfs.gateway.fs123;
