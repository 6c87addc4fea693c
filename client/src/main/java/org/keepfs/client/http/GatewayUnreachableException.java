package org.keepfs.client.http;

import java.io.IOException;

/** Every attempt at a request failed for as long as retries were allowed; the cause is the last failure. */
public final class GatewayUnreachableException extends IOException {
  private static final long serialVersionUID = 1L;

  public GatewayUnreachableException(String message, Throwable lastFailure) {
    super(message, lastFailure);
  }
}
