/**
 * The client's HTTP layer: {@link org.keepfs.client.http.GatewayClient} sends GETs to a gateway over a
 * pool of keep-alive connections, retries connect errors, timeouts, truncated bodies and 5xx with
 * backoff for a bounded time, and moves to a fallback URL when one fails (a failed URL is deferred the
 * fs123 way: for as long as the failure took, between 5 s and 10 min). It knows nothing of fs123 or
 * Keep beyond which paths take the bearer token.
 */
package org.keepfs.client.http;
