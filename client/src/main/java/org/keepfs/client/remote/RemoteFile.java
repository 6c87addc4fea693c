package org.keepfs.client.remote;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import org.keepfs.client.fs.OpenFile;
import org.keepfs.client.fs.PageCache;
import org.keepfs.client.fs.TimedAttributes;
import org.keepfs.posix.Errno;
import org.keepfs.posix.ErrnoException;

/**
 * An open file of an fs123 tree. Reads go in {@link Fs123Remote#CHUNK_BYTES} chunks; a read that
 * continues where the last one ended starts fetching the next {@link #READ_AHEAD_CHUNKS} chunks in
 * parallel, so a sequential reader does not wait on one request at a time.
 *
 * <p>Every chunk must carry the validator and ESTALE cookie the file had at open. A chunk that does
 * not is fetched again with {@code no-cache} (a proxy or the reply cache may hold an old copy); if it
 * still does not match, the read fails with ESTALE: the file changed under this handle, and returning
 * its new bytes next to old ones would hand the reader a file that never existed.
 */
final class RemoteFile implements OpenFile {
  static final int READ_AHEAD_CHUNKS = 8;

  private final Fs123Remote remote;
  private final String path;
  private final long validator;
  private final long cookie;
  private final PageCache pageCache;
  private final TimedAttributes attributes;
  private final Executor executor;
  private final Map<Long, CompletableFuture<Fs123Remote.Chunk>> ahead = new ConcurrentHashMap<>();
  private final AtomicLong nextSequential = new AtomicLong(0);
  private volatile boolean released;

  RemoteFile(Fs123Remote remote, String path, long validator, long cookie, PageCache pageCache, TimedAttributes attributes,
      Executor executor) {
    this.attributes = attributes;
    this.remote = remote;
    this.path = path;
    this.validator = validator;
    this.cookie = cookie;
    this.pageCache = pageCache;
    this.executor = executor;
  }

  @Override
  public int read(ByteBuffer dst, long offset) throws IOException {
    if (offset < 0) {
      throw new ErrnoException(Errno.EINVAL, "read of " + path + " at negative offset " + offset);
    }
    int want = dst.remaining();
    boolean sequential = nextSequential.getAndSet(offset + want) == offset;
    int total = 0;
    long firstChunk = offset / Fs123Remote.CHUNK_BYTES;
    if (sequential) {
      long lastChunk = (offset + Math.max(want, 1) - 1) / Fs123Remote.CHUNK_BYTES;
      startReadAhead(lastChunk + 1);
    }
    while (dst.hasRemaining()) {
      long pos = offset + total;
      long index = pos / Fs123Remote.CHUNK_BYTES;
      int within = (int) (pos % Fs123Remote.CHUNK_BYTES);
      ByteBuffer data = chunk(index).data().duplicate();
      if (within >= data.remaining()) {
        break;
      }
      int n = Math.min(data.remaining() - within, dst.remaining());
      data.position(data.position() + within).limit(data.position() + n);
      dst.put(data);
      total += n;
      if (data.capacity() < Fs123Remote.CHUNK_BYTES && within + n >= data.capacity()) {
        break;
      }
    }
    dropBefore(firstChunk);
    return total;
  }

  private Fs123Remote.Chunk chunk(long index) throws IOException {
    CompletableFuture<Fs123Remote.Chunk> f = ahead.remove(index);
    Fs123Remote.Chunk c;
    if (f != null) {
      try {
        c = f.get();
      } catch (ExecutionException e) {
        c = fetch(index, false);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ErrnoException(Errno.EIO, "interrupted reading " + path);
      }
    } else {
      c = fetch(index, false);
    }
    if (matches(c)) {
      return c;
    }
    c = fetch(index, true);
    if (matches(c)) {
      return c;
    }
    throw new ErrnoException(Errno.ESTALE, path + " changed while open (validator " + validator + " -> " + c.validator()
        + ", cookie " + cookie + " -> " + c.cookie() + "): reopen it to read the new version");
  }

  private boolean matches(Fs123Remote.Chunk c) {
    boolean cookieOk = cookie == 0 || c.cookie() == 0 || c.cookie() == cookie;
    return cookieOk && c.validator() == validator;
  }

  private Fs123Remote.Chunk fetch(long index, boolean noCache) throws IOException {
    return remote.chunk(path, index, noCache);
  }

  private void startReadAhead(long from) {
    // Not past the size seen at open: those chunks would be empty, and fetched for nothing.
    long chunks = (attributes.attributes().size() + Fs123Remote.CHUNK_BYTES - 1) / Fs123Remote.CHUNK_BYTES;
    for (long i = from; i < Math.min(chunks, from + READ_AHEAD_CHUNKS) && !released; i++) {
      long index = i;
      ahead.computeIfAbsent(index, k -> CompletableFuture.supplyAsync(() -> {
        try {
          return fetch(k, false);
        } catch (IOException e) {
          throw new CompletionException(e);
        }
      }, executor));
    }
  }

  private void dropBefore(long index) {
    ahead.keySet().removeIf(k -> k < index);
  }

  @Override
  public int write(ByteBuffer src, long offset) throws IOException {
    throw new ErrnoException(Errno.EROFS, path + " is read-only");
  }

  @Override
  public TimedAttributes getattr() {
    return attributes;
  }

  @Override
  public void truncate(long size) throws IOException {
    throw new ErrnoException(Errno.EROFS, path + " is read-only");
  }

  @Override
  public void release() {
    released = true;
    ahead.values().forEach(f -> f.cancel(false));
    ahead.clear();
  }

  @Override
  public PageCache pageCache() {
    return pageCache;
  }
}
