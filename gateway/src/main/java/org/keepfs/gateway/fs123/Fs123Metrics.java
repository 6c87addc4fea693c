package org.keepfs.gateway.fs123;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.keepfs.fs123.RequestKind;

/**
 * Counts fs123 requests: Micrometer meters for {@code /metrics} (requests by kind and status, errno
 * replies by kind and errno, reply bytes by kind, a latency histogram by kind) and the same totals as the
 * {@code key: value} text of {@code /n}.
 */
public final class Fs123Metrics {
  /** Tag value for requests too malformed to have a kind. */
  private static final String NO_KIND = "invalid";

  private final MeterRegistry registry;
  private final long startNanos = System.nanoTime();
  private final ConcurrentHashMap<String, Counter> requestCounters = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Counter> errnoCounters = new ConcurrentHashMap<>();
  /** [kind ordinal, or values().length for invalid][200, 304, 400]; racing fills register the same meter. */
  private final Counter[][] commonCounters = new Counter[RequestKind.values().length + 1][3];
  private final Timer[] timers = new Timer[RequestKind.values().length];
  private final Counter[] bytes = new Counter[RequestKind.values().length];
  private final LongAdder[] requestsByKind = new LongAdder[RequestKind.values().length];
  private final LongAdder notModified = new LongAdder();
  private final LongAdder errnoReplies = new LongAdder();
  private final LongAdder badRequests = new LongAdder();
  private final LongAdder bytesTotal = new LongAdder();

  public Fs123Metrics(MeterRegistry registry) {
    this.registry = registry;
    for (RequestKind k : RequestKind.values()) {
      String tag = tag(k);
      timers[k.ordinal()] = Timer.builder("keepfs.fs123.request.duration")
          .description("Time to build and hand over an fs123 reply")
          .tag("kind", tag)
          .publishPercentileHistogram()
          .register(registry);
      bytes[k.ordinal()] = Counter.builder("keepfs.fs123.reply.bytes")
          .description("fs123 reply body bytes").baseUnit("bytes").tag("kind", tag).register(registry);
      requestsByKind[k.ordinal()] = new LongAdder();
    }
  }

  private static String tag(RequestKind k) {
    return k == null ? NO_KIND : String.valueOf(k.letter());
  }

  /** Records one finished request; {@code kind} is null for requests that did not parse. */
  public void record(RequestKind kind, int status, int errno, long bodyBytes, long nanos) {
    requestCounter(kind, status).increment();
    if (kind == null) {
      badRequests.increment();
      return;
    }
    requestsByKind[kind.ordinal()].increment();
    timers[kind.ordinal()].record(nanos, TimeUnit.NANOSECONDS);
    if (bodyBytes > 0) {
      bytes[kind.ordinal()].increment(bodyBytes);
      bytesTotal.add(bodyBytes);
    }
    if (status == 304) {
      notModified.increment();
    }
    if (errno != 0) {
      errnoReplies.increment();
      errnoCounters.computeIfAbsent(tag(kind) + " " + errno, x -> Counter.builder("keepfs.fs123.errno.replies")
          .description("fs123 replies carrying a non-zero fs123-errno")
          .tag("kind", tag(kind)).tag("errno", Integer.toString(errno)).register(registry)).increment();
    }
  }

  /** Counters for the common statuses are found by index: this runs on every request. */
  private Counter requestCounter(RequestKind kind, int status) {
    int k = kind == null ? RequestKind.values().length : kind.ordinal();
    int s = switch (status) {
      case 200 -> 0;
      case 304 -> 1;
      case 400 -> 2;
      default -> -1;
    };
    if (s < 0) {
      return requestCounters.computeIfAbsent(tag(kind) + " " + status, x -> newRequestCounter(kind, status));
    }
    Counter c = commonCounters[k][s];
    if (c == null) {
      c = newRequestCounter(kind, status);
      commonCounters[k][s] = c;
    }
    return c;
  }

  private Counter newRequestCounter(RequestKind kind, int status) {
    return Counter.builder("keepfs.fs123.requests")
        .description("fs123 requests by kind and HTTP status")
        .tag("kind", tag(kind)).tag("status", Integer.toString(status)).register(registry);
  }

  /** The body of {@code /n}: {@code key: value} lines. */
  public byte[] statisticsText() {
    StringBuilder b = new StringBuilder(512);
    b.append("server: keepfs gateway\n");
    b.append("uptime_seconds: ").append(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos)).append('\n');
    long total = 0;
    for (RequestKind k : RequestKind.values()) {
      long n = requestsByKind[k.ordinal()].sum();
      total += n;
      b.append("requests_").append(k.name().toLowerCase(Locale.ROOT)).append(": ").append(n).append('\n');
    }
    b.append("requests_total: ").append(total).append('\n');
    b.append("not_modified_replies: ").append(notModified.sum()).append('\n');
    b.append("errno_replies: ").append(errnoReplies.sum()).append('\n');
    b.append("bad_requests: ").append(badRequests.sum()).append('\n');
    b.append("reply_bytes: ").append(bytesTotal.sum()).append('\n');
    return b.toString().getBytes(StandardCharsets.US_ASCII);
  }
}
