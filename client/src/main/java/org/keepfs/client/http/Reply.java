package org.keepfs.client.http;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A complete HTTP reply (status 200, 206 or 304; others are {@link HttpStatusException}s).
 *
 * @param status the HTTP status
 * @param headers header names in lower case (the last value of a repeated header)
 * @param body the whole body, checked against {@code Content-Length} by the transport
 * @param receivedAt when the reply arrived
 * @param age the {@code Age} header: how old a proxy's copy already was
 * @param from the base URL that answered
 */
public record Reply(int status, Map<String, String> headers, byte[] body, Instant receivedAt, Duration age, String from) {
  public Optional<String> header(String name) {
    return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
  }
}
