package org.keepfs.store.remote;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.keepfs.locator.Locator;
import org.keepfs.rendezvous.RendezvousOrder;
import org.keepfs.store.BlockNotFoundException;
import org.keepfs.store.BlockStore;
import org.keepfs.store.CorruptBlockException;
import org.keepfs.store.Md5;
import org.keepfs.store.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Blocks held by a set of remote Keep services, read and written the way Keep clients do.
 *
 * <p>Services are probed with {@code +K}-hinted ones first (in hint order), then in rendezvous
 * order. A 404 is final for that service; 408, 429, 5xx and network errors are retried on the next
 * pass, after a back-off that doubles. Bytes that fail the MD5 or length check are dropped and the
 * next service is tried. "Not found" is reported only when every service said 404.
 */
public final class RemoteKeepStore implements BlockStore {
  private static final Logger LOG = LoggerFactory.getLogger(RemoteKeepStore.class);

  private final String id;
  private final List<KeepServiceEndpoint> services;
  private final Retry retry;
  private final HttpClient http;

  /**
   * How often and how patiently to retry.
   *
   * @param passes how many times each service may be asked
   * @param firstBackoff the pause before the second pass; it doubles after each pass
   * @param requestTimeout the limit for one request, body included
   */
  public record Retry(int passes, Duration firstBackoff, Duration requestTimeout) {
    public Retry {
      if (passes < 1) {
        throw new IllegalArgumentException("retry passes must be at least 1, got " + passes);
      }
    }

    /** Keep clients' defaults, shortened: three passes, 500 ms apart at first, 5 minutes a request. */
    public static Retry standard() {
      return new Retry(3, Duration.ofMillis(500), Duration.ofMinutes(5));
    }
  }

  public RemoteKeepStore(String id, List<KeepServiceEndpoint> services, Retry retry) {
    if (services.isEmpty()) {
      throw new IllegalArgumentException("remote Keep store " + id + " needs at least one service URL");
    }
    this.id = id;
    this.services = List.copyOf(services);
    this.retry = retry;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public Integrity integrity() {
    return Integrity.UNTRUSTED;
  }

  @Override
  public boolean answersTo(String serviceHint) {
    return BlockStore.super.answersTo(serviceHint) || services.stream().anyMatch(s -> s.answersTo(serviceHint));
  }

  /** The services in the order to probe them for this locator. */
  List<KeepServiceEndpoint> probeOrder(Locator locator) {
    Set<KeepServiceEndpoint> order = new LinkedHashSet<>();
    for (String hint : locator.serviceHints()) {
      services.stream().filter(s -> s.answersTo(hint)).forEach(order::add);
    }
    order.addAll(RendezvousOrder.of(locator.hash(), services, KeepServiceEndpoint::uuid));
    return new ArrayList<>(order);
  }

  /** What one service said about a block. */
  private enum Outcome { NOT_FOUND, RETRYABLE, FAILED, CORRUPT }

  @Override
  public ByteBuffer read(Locator locator, long offset, int length) throws IOException {
    ByteBuffer all = fetch(locator);
    return all.slice((int) offset, length);
  }

  private ByteBuffer fetch(Locator locator) throws IOException {
    Map<KeepServiceEndpoint, Outcome> outcomes = new LinkedHashMap<>();
    Map<KeepServiceEndpoint, String> reasons = new LinkedHashMap<>();
    List<KeepServiceEndpoint> order = probeOrder(locator);
    Duration backoff = retry.firstBackoff();
    for (int pass = 0; pass < retry.passes(); pass++) {
      if (pass > 0) {
        if (order.stream().noneMatch(s -> outcomes.get(s) == Outcome.RETRYABLE)) {
          break;
        }
        pause(backoff);
        backoff = backoff.multipliedBy(2);
      }
      for (KeepServiceEndpoint service : order) {
        Outcome previous = outcomes.get(service);
        if (previous != null && previous != Outcome.RETRYABLE) {
          continue;
        }
        HttpRequest request = request(service, service.root().resolve(locator.toString())).GET().build();
        try {
          HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
          try (InputStream body = response.body()) {
            int status = response.statusCode();
            if (status == 200) {
              byte[] bytes = body.readNBytes((int) locator.size() + 1);
              ByteBuffer data = ByteBuffer.wrap(bytes);
              if (bytes.length == locator.size() && Md5.hex(data).equals(locator.hash())) {
                return data;
              }
              outcomes.put(service, Outcome.CORRUPT);
              reasons.put(service, "returned " + bytes.length + " bytes that are not " + locator.hashAndSize());
              LOG.error("Keep service {} returned bad bytes for {}", service.root(), locator.hashAndSize());
            } else {
              outcomes.put(service, classify(status));
              reasons.put(service, "HTTP " + status);
            }
          }
        } catch (IOException e) {
          outcomes.put(service, Outcome.RETRYABLE);
          reasons.put(service, e.toString());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new StoreUnavailableException("interrupted while reading " + locator.hashAndSize(), e);
        }
      }
    }
    String detail = id + ": " + describe(reasons);
    if (outcomes.values().stream().allMatch(o -> o == Outcome.NOT_FOUND)) {
      throw new BlockNotFoundException("no Keep service of " + detail + " holds " + locator.hashAndSize());
    }
    if (outcomes.values().stream().allMatch(o -> o == Outcome.NOT_FOUND || o == Outcome.CORRUPT)) {
      throw new CorruptBlockException("Keep services of " + detail + " returned bad bytes for " + locator.hashAndSize());
    }
    throw new StoreUnavailableException("could not read " + locator.hashAndSize() + " from " + detail, null);
  }

  private static Outcome classify(int status) {
    if (status == 404) {
      return Outcome.NOT_FOUND;
    }
    if (status == 408 || status == 429 || status >= 500) {
      return Outcome.RETRYABLE;
    }
    return Outcome.FAILED;
  }

  private static String describe(Map<KeepServiceEndpoint, String> reasons) {
    List<String> parts = new ArrayList<>();
    reasons.forEach((s, r) -> parts.add(s.root() + " " + r));
    return String.join("; ", parts);
  }

  private HttpRequest.Builder request(KeepServiceEndpoint service, URI uri) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(retry.requestTimeout());
    service.token().ifPresent(t -> b.header("Authorization", "Bearer " + t));
    return b;
  }

  private static void pause(Duration d) throws StoreUnavailableException {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreUnavailableException("interrupted between retries", e);
    }
  }

  @Override
  public OptionalLong sizeOf(String hash) throws IOException {
    Locator probe = Locator.of(hash, 0);
    for (KeepServiceEndpoint service : probeOrder(probe)) {
      HttpRequest request = request(service, service.root().resolve(hash))
          .method("HEAD", HttpRequest.BodyPublishers.noBody()).build();
      try {
        HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 200) {
          OptionalLong length = response.headers().firstValueAsLong("Content-Length");
          if (length.isPresent()) {
            return length;
          }
        }
      } catch (IOException e) {
        LOG.warn("HEAD {} on {} failed: {}", hash, service.root(), e.toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StoreUnavailableException("interrupted", e);
      }
    }
    return OptionalLong.empty();
  }

  /** Writes to services in rendezvous order until one stores the block (Keep's PUT behaviour). */
  @Override
  public int put(Locator locator, Path verifiedContent) throws IOException {
    List<String> failures = new ArrayList<>();
    for (KeepServiceEndpoint service : probeOrder(locator)) {
      HttpRequest request = request(service, service.root().resolve(locator.hash()))
          .PUT(HttpRequest.BodyPublishers.ofFile(verifiedContent)).build();
      try {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return (int) response.headers().firstValueAsLong("X-Keep-Replicas-Stored").orElse(1);
        }
        failures.add(service.root() + " HTTP " + response.statusCode());
      } catch (IOException e) {
        failures.add(service.root() + " " + e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StoreUnavailableException("interrupted", e);
      }
    }
    throw new StoreUnavailableException("no Keep service of " + id + " took " + locator.hashAndSize() + ": "
        + String.join("; ", failures), null);
  }

  @Override
  public void close() {
    http.close();
  }

  @Override
  public String toString() {
    return "remote Keep services " + services.stream().map(KeepServiceEndpoint::root).toList() + " (" + id + ")";
  }
}
