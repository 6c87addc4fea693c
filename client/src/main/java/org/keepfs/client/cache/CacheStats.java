package org.keepfs.client.cache;

/**
 * A snapshot of one cache's counters.
 *
 * @param hits lookups answered from the cache
 * @param misses lookups the cache could not answer
 * @param inserts entries written
 * @param evictions entries removed to stay under the size bound
 * @param thrashEvictions evictions of entries written shortly before (the cache is too small)
 * @param corruptDropped entries found torn or corrupt and removed, never served
 * @param rejected inserts refused (bad digest, larger than the whole cache)
 * @param bytesServed bytes read from cached entries
 * @param bytesInserted bytes written into the cache
 * @param bytesEvicted bytes removed by eviction
 * @param entries entries in this process's index now
 * @param bytes bytes those entries take now
 * @param capacityBytes the size bound
 */
public record CacheStats(
    long hits,
    long misses,
    long inserts,
    long evictions,
    long thrashEvictions,
    long corruptDropped,
    long rejected,
    long bytesServed,
    long bytesInserted,
    long bytesEvicted,
    long entries,
    long bytes,
    long capacityBytes) {

  /**
   * One {@code name.counter value} line per counter, in a fixed order, for a stats file that people
   * read and scripts grep.
   */
  public String render(String name) {
    StringBuilder sb = new StringBuilder(512);
    line(sb, name, "hits", hits);
    line(sb, name, "misses", misses);
    line(sb, name, "inserts", inserts);
    line(sb, name, "evictions", evictions);
    line(sb, name, "thrash_evictions", thrashEvictions);
    line(sb, name, "corrupt_dropped", corruptDropped);
    line(sb, name, "rejected", rejected);
    line(sb, name, "bytes_served", bytesServed);
    line(sb, name, "bytes_inserted", bytesInserted);
    line(sb, name, "bytes_evicted", bytesEvicted);
    line(sb, name, "entries", entries);
    line(sb, name, "bytes", bytes);
    line(sb, name, "capacity_bytes", capacityBytes);
    return sb.toString();
  }

  private static void line(StringBuilder sb, String name, String counter, long value) {
    sb.append(name).append('.').append(counter).append(' ').append(value).append('\n');
  }
}
