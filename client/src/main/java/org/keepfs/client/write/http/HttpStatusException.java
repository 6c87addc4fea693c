package org.keepfs.client.write.http;

import java.io.IOException;

/** The gateway answered with a status the caller cannot use; the message carries the gateway's reason. */
public class HttpStatusException extends IOException {
  private static final long serialVersionUID = 1L;
  private final int status;

  public HttpStatusException(int status, String message) {
    super(message);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
