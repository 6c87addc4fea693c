package org.keepfs.client.fuse.lowlevel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.keepfs.client.fs.Created;
import org.keepfs.client.fs.DirectorySink;
import org.keepfs.client.fs.Entry;
import org.keepfs.client.fs.FileSystem;
import org.keepfs.client.fs.FsStats;
import org.keepfs.client.fs.KernelCache;
import org.keepfs.client.fs.Lookup;
import org.keepfs.client.fs.MemoryFileSystem;
import org.keepfs.client.fs.NoEntry;
import org.keepfs.client.fs.OpenFile;
import org.keepfs.client.fs.OpenFlags;
import org.keepfs.client.fs.PageCache;
import org.keepfs.client.fs.TimedAttributes;

/**
 * A {@link MemoryFileSystem} that records what a front end asks of it: lookups per name (and
 * whether they came from inside a listing), and the largest read and write request. Lifetimes can
 * be set per name, to see which ones reach the kernel.
 */
final class RecordingFileSystem implements FileSystem {
  final MemoryFileSystem memory = new MemoryFileSystem();
  private final Map<String, AtomicInteger> lookups = new ConcurrentHashMap<>();
  private final Map<String, Duration> lifetimes = new ConcurrentHashMap<>();
  private final AtomicInteger lookupsOutsideListings = new AtomicInteger();
  private final ThreadLocal<Boolean> listing = ThreadLocal.withInitial(() -> false);
  final AtomicLong largestRead = new AtomicLong();
  final AtomicLong largestWrite = new AtomicLong();
  volatile PageCache pageCache;
  volatile KernelCache kernelCache;

  /** Lookups of {@code name} (hits and misses) answer with this lifetime from now on. */
  void setLifetime(String name, Duration lifetime) {
    lifetimes.put(name, lifetime);
  }

  int lookups(String name) {
    AtomicInteger n = lookups.get(name);
    return n == null ? 0 : n.get();
  }

  int lookupsOutsideListings() {
    return lookupsOutsideListings.get();
  }

  @Override
  public Lookup lookup(long parent, String name) throws IOException {
    lookups.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
    if (!listing.get()) {
      lookupsOutsideListings.incrementAndGet();
    }
    Lookup found = memory.lookup(parent, name);
    Duration lifetime = lifetimes.get(name);
    if (lifetime == null) {
      return found;
    }
    return found instanceof Entry e ? new Entry(e.attributes(), lifetime, lifetime) : new NoEntry(lifetime);
  }

  @Override
  public void attachKernelCache(KernelCache cache) {
    kernelCache = cache;
  }

  @Override
  public TimedAttributes getattr(long ino) throws IOException {
    return memory.getattr(ino);
  }

  @Override
  public void readdir(long dir, long offset, DirectorySink sink) throws IOException {
    listing.set(true);
    try {
      memory.readdir(dir, offset, sink);
    } finally {
      listing.set(false);
    }
  }

  @Override
  public OpenFile open(long ino, OpenFlags flags) throws IOException {
    return recording(memory.open(ino, flags));
  }

  @Override
  public Created create(long parent, String name, int permissions, OpenFlags flags) throws IOException {
    Created c = memory.create(parent, name, permissions, flags);
    return new Created(c.entry(), recording(c.file()));
  }

  @Override
  public void unlink(long parent, String name) throws IOException {
    memory.unlink(parent, name);
  }

  @Override
  public String readlink(long ino) throws IOException {
    return memory.readlink(ino);
  }

  @Override
  public FsStats statfs() {
    return memory.statfs();
  }

  private OpenFile recording(OpenFile file) {
    return new OpenFile() {
      @Override
      public int read(ByteBuffer dst, long offset) throws IOException {
        largestRead.accumulateAndGet(dst.remaining(), Math::max);
        return file.read(dst, offset);
      }

      @Override
      public int write(ByteBuffer src, long offset) throws IOException {
        largestWrite.accumulateAndGet(src.remaining(), Math::max);
        return file.write(src, offset);
      }

      @Override
      public TimedAttributes getattr() throws IOException {
        return file.getattr();
      }

      @Override
      public void truncate(long size) throws IOException {
        file.truncate(size);
      }

      @Override
      public void release() throws IOException {
        file.release();
      }

      @Override
      public PageCache pageCache() {
        PageCache forced = pageCache;
        return forced != null ? forced : file.pageCache();
      }
    };
  }
}
