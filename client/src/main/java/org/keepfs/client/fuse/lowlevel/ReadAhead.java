package org.keepfs.client.fuse.lowlevel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raises the kernel's read-ahead of one FUSE mount to the largest request the session negotiated.
 * Reads through the page cache arrive in read-ahead-sized requests, and the kernel offers a FUSE
 * filesystem only 128 KiB (a filesystem may lower it in INIT, never raise it); the mount's own
 * backing device ({@code /sys/class/bdi/0:N}) can be raised by root. Without root this does nothing
 * and reads stay at 128 KiB per request.
 */
final class ReadAhead {
  private static final Logger LOG = LoggerFactory.getLogger(ReadAhead.class);
  private static final Path BDI = Path.of("/sys/class/bdi");

  private ReadAhead() {}

  /** Sets the read-ahead of the filesystem mounted at {@code mountPoint}; false when it could not. */
  static boolean raise(Path mountPoint, int bytes) {
    try {
      long dev = (Long) Files.getAttribute(mountPoint, "unix:dev");
      Path file = BDI.resolve(major(dev) + ":" + minor(dev)).resolve("read_ahead_kb");
      if (!Files.isWritable(file)) {
        LOG.debug("read-ahead of {} stays as it is: {} is not writable", mountPoint, file);
        return false;
      }
      Files.writeString(file, Integer.toString(bytes / 1024));
      return true;
    } catch (IOException | RuntimeException e) {
      LOG.debug("read-ahead of {} stays as it is: {}", mountPoint, e.toString());
      return false;
    }
  }

  /** glibc's gnu_dev_major. */
  static long major(long dev) {
    return ((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL);
  }

  /** glibc's gnu_dev_minor. */
  static long minor(long dev) {
    return (dev & 0xff) | ((dev >>> 12) & ~0xffL);
  }
}
