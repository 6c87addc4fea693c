package org.keepfs.client.remote;

import java.time.Duration;
import java.util.Objects;
import org.keepfs.client.cache.StoredReply;

/**
 * A reply as the read path uses it, with how long what it says may be cached by the kernel.
 *
 * @param reply the reply (from the network or the reply cache)
 * @param kernelTimeout the remaining freshness (at most 1 s within stale-while-revalidate, else 0)
 * @param fromNetwork whether this call fetched it (false: served from a cache)
 */
public record Answer(StoredReply reply, Duration kernelTimeout, boolean fromNetwork) {
  public Answer {
    Objects.requireNonNull(reply, "reply");
    Objects.requireNonNull(kernelTimeout, "kernelTimeout");
  }
}
