package org.keepfs.client.fuse.lowlevel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raises the kernel's read-ahead of one FUSE mount to the largest request the session negotiated.
 * Reads through the page cache arrive in read-ahead-sized requests, and the kernel offers a FUSE
 * filesystem only 128 KiB (a filesystem may lower it in INIT, never raise it); the mount's own
 * backing device ({@code /sys/class/bdi/MAJOR:MINOR}) can be raised by root. Without root this does
 * nothing and reads stay at 128 KiB per request. The device comes from {@code /proc/self/mountinfo},
 * not from a stat, which would wait for the filesystem to answer.
 */
final class ReadAhead {
  private static final Logger LOG = LoggerFactory.getLogger(ReadAhead.class);
  private static final Path BDI = Path.of("/sys/class/bdi");
  private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

  private ReadAhead() {}

  /** Sets the read-ahead of the filesystem mounted at {@code mountPoint}; false when it could not. */
  static boolean raise(Path mountPoint, int bytes) {
    try {
      Optional<String> device = device(Files.readString(MOUNTINFO), mountPoint);
      if (device.isEmpty()) {
        LOG.debug("read-ahead of {} stays as it is: not in {}", mountPoint, MOUNTINFO);
        return false;
      }
      Path file = BDI.resolve(device.get()).resolve("read_ahead_kb");
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

  /** The {@code MAJOR:MINOR} of the last mount listed at {@code mountPoint} (field 3 of mountinfo). */
  static Optional<String> device(String mountinfo, Path mountPoint) {
    String wanted = escape(mountPoint.toString());
    Optional<String> found = Optional.empty();
    for (String line : mountinfo.split("\n")) {
      String[] f = line.split(" ");
      if (f.length > 4 && f[4].equals(wanted)) {
        found = Optional.of(f[2]);
      }
    }
    return found;
  }

  /** mountinfo's octal escapes for the characters that would break its fields. */
  private static String escape(String path) {
    return path.replace("\\", "\\134").replace(" ", "\\040").replace("\t", "\\011").replace("\n", "\\012");
  }
}
