/**
 * The writer's HTTP side, on httpclient5: blocks PUT to and read from a gateway's {@code /keep/}, and
 * the collections API's compare-and-swap ({@code PUT /collections/<name>} with {@code If-Match} or
 * {@code If-None-Match: *}). Each call retries network errors and 408, 429 and 5xx answers (except
 * 507, a full store) with exponential backoff as {@link org.keepfs.client.write.http.RetryPolicy} says.
 */
package org.keepfs.client.write.http;
