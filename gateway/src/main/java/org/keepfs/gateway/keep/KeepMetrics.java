package org.keepfs.gateway.keep;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.keepfs.store.StoreChain;

/**
 * The Keep service's meters, in the gateway's shared registry (Prometheus names in brackets):
 * requests by operation and status ({@code keepfs_keep_requests_total}), block bytes sent and
 * received ({@code keepfs_keep_sent_bytes_total}, {@code keepfs_keep_received_bytes_total}), and
 * reads a store failed, by store and kind ({@code keepfs_keep_store_failures_total}, kind {@code
 * corrupt} or {@code unavailable}).
 */
public final class KeepMetrics implements StoreChain.Observer {
  private final MeterRegistry registry;
  private final Counter sent;
  private final Counter received;

  public KeepMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.sent = Counter.builder("keepfs.keep.sent.bytes").description("Block bytes sent").register(registry);
    this.received = Counter.builder("keepfs.keep.received.bytes").description("Block bytes received in uploads")
        .register(registry);
  }

  /** Meters that go nowhere, for code run without a gateway registry. */
  public static KeepMetrics unregistered() {
    return new KeepMetrics(new SimpleMeterRegistry());
  }

  /** Counts one answered request; {@code operation} is a fixed word such as {@code block_get}. */
  public void request(String operation, int status) {
    Counter.builder("keepfs.keep.requests").description("Keep and collection requests answered")
        .tag("operation", operation).tag("status", Integer.toString(status)).register(registry).increment();
  }

  public void sent(long bytes) {
    sent.increment(bytes);
  }

  public void received(long bytes) {
    received.increment(bytes);
  }

  @Override
  public void storeFailed(String storeId, String kind) {
    Counter.builder("keepfs.keep.store.failures").description("Block reads a store failed")
        .tag("store", storeId).tag("kind", kind).register(registry).increment();
  }
}
