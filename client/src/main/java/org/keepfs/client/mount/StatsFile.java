package org.keepfs.client.mount;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.keepfs.client.fs.OpenFile;
import org.keepfs.client.fs.PageCache;
import org.keepfs.client.fs.TimedAttributes;
import org.keepfs.posix.Errno;
import org.keepfs.posix.ErrnoException;

/** {@code .keepfs/stats} as opened: the counters at the moment of open, read around the page cache. */
final class StatsFile implements OpenFile {
  private final byte[] text;
  private final TimedAttributes attributes;

  StatsFile(String text, TimedAttributes attributes) {
    this.text = text.getBytes(StandardCharsets.UTF_8);
    this.attributes = attributes;
  }

  @Override
  public int read(ByteBuffer dst, long offset) {
    if (offset >= text.length) {
      return 0;
    }
    int n = (int) Math.min(dst.remaining(), text.length - offset);
    dst.put(text, (int) offset, n);
    return n;
  }

  @Override
  public int write(ByteBuffer src, long offset) throws ErrnoException {
    throw new ErrnoException(Errno.EROFS, ".keepfs/stats is read-only");
  }

  @Override
  public TimedAttributes getattr() {
    return attributes;
  }

  @Override
  public void truncate(long size) throws ErrnoException {
    throw new ErrnoException(Errno.EROFS, ".keepfs/stats is read-only");
  }

  @Override
  public void release() {}

  @Override
  public PageCache pageCache() {
    return PageCache.BYPASS;
  }
}
