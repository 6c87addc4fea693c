package org.keepfs.client.remote;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.UnaryOperator;
import org.keepfs.client.cache.CacheLifetimes;
import org.keepfs.client.cache.FreshnessPolicy;
import org.keepfs.client.cache.FreshnessVerdict;
import org.keepfs.client.cache.ReplyCache;
import org.keepfs.client.cache.StoredReply;
import org.keepfs.client.http.GatewayClient;
import org.keepfs.client.http.Reply;
import org.keepfs.client.http.RequestDirectives;
import org.keepfs.fs123.CacheControl;
import org.keepfs.fs123.Fs123FormatException;
import org.keepfs.posix.Errno;
import org.keepfs.posix.ErrnoException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GETs through the durable {@link ReplyCache}, by the fs123 client's rules (reference §7): a fresh
 * reply is served with no traffic; one within stale-while-revalidate is served and refreshed in the
 * background (one refresh per URL at a time); an older one is revalidated ({@code If-None-Match}) and,
 * when the gateway cannot be reached, served anyway up to stale-if-error; in disconnected mode the
 * network is never used. Small replies are also kept in memory so that hot metadata costs no disk read.
 *
 * <p>Replies are stored under the primary gateway URL plus the request path, so replies a fallback
 * served count as the gateway's and a restart with the same gateway URL finds them.
 */
public final class CachedReplies implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CachedReplies.class);
  private static final int MEMORY_MAX_BODY = 64 << 10;
  private static final int MEMORY_MAX_ENTRIES = 200_000;

  /** Decides whether a reply may be stored (fs123 stores only errno 0, ENOENT and ENODATA replies). */
  @FunctionalInterface
  public interface StoreRule {
    boolean storable(StoredReply reply);
  }

  private final GatewayClient http;
  private final ReplyCache disk;
  private final FreshnessPolicy policy;
  private final Clock clock;
  private final String keyPrefix;
  private final Map<String, StoredReply> memory = new ConcurrentHashMap<>();
  private final Set<String> refreshing = ConcurrentHashMap.newKeySet();
  private final ExecutorService background = Executors.newVirtualThreadPerTaskExecutor();
  private final LongAdder memoryHits = new LongAdder();
  private final LongAdder staleServed = new LongAdder();
  private final LongAdder backgroundRefreshes = new LongAdder();

  public CachedReplies(GatewayClient http, ReplyCache disk, FreshnessPolicy policy, Clock clock) {
    this.http = http;
    this.disk = disk;
    this.policy = policy;
    this.clock = clock;
    this.keyPrefix = http.options().primary().toString();
  }

  public FreshnessPolicy policy() {
    return policy;
  }

  /**
   * The reply for {@code path}, from a cache when the rules allow, else from the gateway.
   *
   * @param lifetimes adjusts what the server's Cache-Control granted (for example a client-side
   *     max-age for collection heads the API marks no-cache); identity for fs123
   * @throws ErrnoException EIO when disconnected with nothing usable cached
   */
  public Answer get(String path, StoreRule rule, UnaryOperator<CacheLifetimes> lifetimes) throws IOException {
    String key = keyPrefix + path;
    Optional<StoredReply> stored = lookup(key);
    if (stored.isEmpty()) {
      if (policy.disconnected()) {
        throw new ErrnoException(Errno.EIO, "disconnected: " + path + " is not in the reply cache");
      }
      return fetch(path, Optional.empty(), RequestDirectives.PLAIN, rule, lifetimes);
    }
    StoredReply r = stored.get();
    FreshnessVerdict v = policy.judge(r);
    return switch (v.action()) {
      case SERVE -> new Answer(r, v.kernelTimeout(), false);
      case SERVE_AND_REFRESH -> {
        refreshInBackground(path, r, rule, lifetimes);
        yield new Answer(r, v.kernelTimeout(), false);
      }
      case FETCH -> fetch(path, stored, RequestDirectives.PLAIN, rule, lifetimes);
      case FETCH_ELSE_SERVE_STALE -> {
        try {
          yield fetch(path, stored, RequestDirectives.PLAIN, rule, lifetimes);
        } catch (IOException e) {
          staleServed.increment();
          LOG.warn("serving a stale reply for {} ({} past its max-age): {}", path, v.staleness(), e.getMessage());
          yield new Answer(r, Duration.ZERO, false);
        }
      }
      case UNAVAILABLE -> throw new ErrnoException(Errno.EIO,
          "disconnected: the cached reply for " + path + " is " + v.staleness() + " past its max-age, beyond stale-if-error");
    };
  }

  /**
   * Fetches {@code path} bypassing every cache on the way ({@code Cache-Control: no-cache}), as the
   * fs123 client does before it gives up with ESTALE or on bad data. Disconnected: the cached reply.
   */
  public Answer refetch(String path, StoreRule rule, UnaryOperator<CacheLifetimes> lifetimes) throws IOException {
    if (policy.disconnected()) {
      return get(path, rule, lifetimes);
    }
    return fetch(path, Optional.empty(), RequestDirectives.NO_CACHE, rule, lifetimes);
  }

  /** The stored reply for {@code path} (memory, else disk), whatever its age; never the network. */
  public Optional<StoredReply> stored(String path) throws IOException {
    return lookup(keyPrefix + path);
  }

  private Optional<StoredReply> lookup(String key) throws IOException {
    StoredReply m = memory.get(key);
    if (m != null) {
      memoryHits.increment();
      return Optional.of(m);
    }
    Optional<StoredReply> d = disk.get(key);
    d.ifPresent(this::remember);
    return d;
  }

  private Answer fetch(String path, Optional<StoredReply> stored, RequestDirectives directives, StoreRule rule,
      UnaryOperator<CacheLifetimes> lifetimes) throws IOException {
    String key = keyPrefix + path;
    RequestDirectives d = directives;
    if (stored.isPresent()) {
      Optional<String> etag = stored.get().header("etag");
      if (etag.isPresent()) {
        d = d.withIfNoneMatch(etag.get());
      }
    }
    Reply reply = http.get(path, d);
    CacheLifetimes granted = lifetimes.apply(lifetimesOf(path, reply));
    StoredReply result;
    if (reply.status() == 304) {
      if (stored.isEmpty()) {
        throw new ErrnoException(Errno.EIO, "GET " + path + ": 304 Not Modified for a request that sent no validator");
      }
      result = stored.get().refreshed(reply.receivedAt(), reply.age(), granted);
    } else {
      result = new StoredReply(key, reply.status(), reply.headers(), reply.body(), reply.receivedAt(), reply.age(), granted);
    }
    if (rule.storable(result)) {
      remember(result);
      try {
        disk.put(result);
      } catch (IOException e) {
        LOG.warn("reply cache: cannot store {}: {}", path, e.getMessage());
      }
    } else {
      memory.remove(key);
    }
    return new Answer(result, policy.judge(result).kernelTimeout(), true);
  }

  private static CacheLifetimes lifetimesOf(String path, Reply reply) throws ErrnoException {
    Optional<String> header = reply.header("cache-control");
    if (header.isEmpty()) {
      return CacheLifetimes.NONE;
    }
    try {
      return CacheLifetimes.of(CacheControl.parse(header.get()));
    } catch (Fs123FormatException e) {
      throw new ErrnoException(Errno.EIO, "GET " + path + ": unreadable Cache-Control '" + header.get() + "': " + e.getMessage());
    }
  }

  private void remember(StoredReply r) {
    if (r.bodyLength() > MEMORY_MAX_BODY) {
      return;
    }
    if (memory.size() >= MEMORY_MAX_ENTRIES) {
      // Crude but bounded: the disk cache still holds everything, so dropping the memory copy costs one read.
      memory.clear();
    }
    memory.put(r.url(), r);
  }

  private void refreshInBackground(String path, StoredReply stored, StoreRule rule, UnaryOperator<CacheLifetimes> lifetimes) {
    if (!refreshing.add(path)) {
      return;
    }
    backgroundRefreshes.increment();
    background.execute(() -> {
      try {
        fetch(path, Optional.of(stored), RequestDirectives.PLAIN.withMaxStaleZero(), rule, lifetimes);
      } catch (IOException | RuntimeException e) {
        LOG.info("background refresh of {} failed: {}", path, e.getMessage());
      } finally {
        refreshing.remove(path);
      }
    });
  }

  public String renderStats() {
    return disk.stats().render("reply_cache") + "reply_cache.memory_hits " + memoryHits.sum() + "\nreply_cache.stale_served "
        + staleServed.sum() + "\nreply_cache.background_refreshes " + backgroundRefreshes.sum() + "\n";
  }

  @Override
  public void close() {
    background.shutdownNow();
  }
}
