package org.keepfs.client.http;

import java.io.IOException;

/** The gateway answered with a status other than 200, 206 or 304; {@code body} is its explanation. */
public final class HttpStatusException extends IOException {
  private static final long serialVersionUID = 1L;
  private final int status;

  public HttpStatusException(String url, int status, String body) {
    super("GET " + url + ": HTTP " + status + (body.isBlank() ? "" : ": " + body.strip()));
    this.status = status;
  }

  public int status() {
    return status;
  }

  /** 5xx statuses worth retrying, as the fs123 client retries them. */
  public boolean retryable() {
    return status >= 500 && status <= 504;
  }
}
