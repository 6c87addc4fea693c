package org.keepfs.client.fuse;

import org.keepfs.posix.Errno;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an exception from the filesystem into the negative errno a FUSE callback returns, and
 * decides what is worth a log line: EIO is logged once at info without a stack trace (debug has
 * the trace), ENOENT is silent, other errnos are ordinary answers logged at debug.
 */
public final class ErrorReplies {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorReplies.class);

  private ErrorReplies() {}

  public static int reply(String operation, String path, Throwable e) {
    int errno = Errno.of(e);
    if (errno == Errno.ENOENT) {
      return -errno;
    }
    if (errno == Errno.EIO) {
      LOG.info("{} {}: EIO: {}", operation, path, e.toString());
      LOG.debug("{} {}: stack trace of the EIO above", operation, path, e);
    } else {
      LOG.debug("{} {}: errno {}: {}", operation, path, errno, e.getMessage());
    }
    return -errno;
  }
}
