package org.keepfs.client.fuse;

import java.time.Instant;
import java.util.Optional;
import org.keepfs.client.fs.NodeAttributes;
import ru.serce.jnrfuse.struct.FileStat;
import ru.serce.jnrfuse.struct.Timespec;

/** Between the filesystem's records and libfuse's {@code struct stat} and {@code struct timespec}. */
final class StatFields {
  /** utimensat(2)'s special nanosecond values: "now" and "leave unchanged". */
  private static final long UTIME_NOW = (1L << 30) - 1;
  private static final long UTIME_OMIT = (1L << 30) - 2;

  private StatFields() {}

  static Optional<Instant> instant(Timespec t) {
    long nanos = t.tv_nsec.longValue();
    if (nanos == UTIME_OMIT) {
      return Optional.empty();
    }
    if (nanos == UTIME_NOW) {
      return Optional.of(Instant.now());
    }
    return Optional.of(Instant.ofEpochSecond(t.tv_sec.get(), nanos));
  }

  static void fill(FileStat stat, NodeAttributes a) {
    stat.st_ino.set(a.ino());
    stat.st_mode.set(a.mode());
    stat.st_nlink.set(a.nlink());
    stat.st_size.set(a.size());
    stat.st_blocks.set(a.blocks());
    stat.st_blksize.set(MountOptions.MAX_IO_SIZE);
    stat.st_uid.set(a.uid());
    stat.st_gid.set(a.gid());
    setTime(stat.st_atim, a.atime());
    setTime(stat.st_mtim, a.mtime());
    setTime(stat.st_ctim, a.ctime());
  }

  private static void setTime(Timespec t, Instant i) {
    t.tv_sec.set(i.getEpochSecond());
    t.tv_nsec.set(i.getNano());
  }
}
