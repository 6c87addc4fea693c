package org.keepfs.gateway.keep;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.keepfs.store.StoreChain;

/**
 * The one meter the Keep service adds to the gateway's registry: block reads a store failed, by store
 * and kind ({@code keepfs_keep_store_failures_total{store,kind}}, kind {@code corrupt} or {@code
 * unavailable}). Requests, statuses and body bytes of {@code /keep}, {@code /collections} and {@code
 * /by_id} are the server's route meters ({@code keepfs_http_requests_total{route,method,status}},
 * {@code keepfs_http_request_bytes_total{route}}, {@code keepfs_http_response_bytes_total{route}}), so
 * they are counted once, the same way for every mounted handler.
 */
public final class KeepMetrics implements StoreChain.Observer {
  private final MeterRegistry registry;

  public KeepMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void storeFailed(String storeId, String kind) {
    Counter.builder("keepfs.keep.store.failures").description("Block reads a store failed")
        .tag("store", storeId).tag("kind", kind).register(registry).increment();
  }
}
