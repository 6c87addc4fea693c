/**
 * The collections JSON API: {@code GET}/{@code PUT /collections/<name>} (compare-and-swap with
 * {@code If-Match} / {@code If-None-Match: *}) and {@code GET /by_id/<pdh>/manifest}.
 */
package org.keepfs.gateway.collections;
