package org.keepfs.client.fuse;

import java.io.InterruptedIOException;

/** The short pause between two looks at the mount table. */
final class Polling {
  private static final long PAUSE_MILLIS = 20;

  private Polling() {}

  static void pause() throws InterruptedIOException {
    try {
      Thread.sleep(PAUSE_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for the mount table to change");
    }
  }
}
