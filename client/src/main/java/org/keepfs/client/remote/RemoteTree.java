package org.keepfs.client.remote;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.keepfs.client.fs.Entry;
import org.keepfs.client.fs.FsStats;
import org.keepfs.client.fs.Lookup;
import org.keepfs.client.fs.NoEntry;
import org.keepfs.client.fs.NodeAttributes;
import org.keepfs.client.fs.NodeType;
import org.keepfs.client.fs.OpenFile;
import org.keepfs.client.fs.PageCache;
import org.keepfs.client.fs.TimedAttributes;
import org.keepfs.fs123.Attributes;
import org.keepfs.fs123.DType;
import org.keepfs.fs123.DirEntry;
import org.keepfs.fs123.StatfsReply;
import org.keepfs.posix.Errno;
import org.keepfs.posix.ErrnoException;

/**
 * A read-only fs123 tree answered by path ("" is the root, otherwise "/a/b"); the caller owns inode
 * numbers and passes them in. Write bits are cleared from modes (the mount is read-only).
 *
 * <p>Page cache: at each open the validator is compared with the one the previous open of the same
 * path saw; equal keeps the kernel's cached pages ({@link PageCache#KEEP}), different drops them,
 * and a reply with no lifetime (max-age 0) bypasses the page cache.
 */
public final class RemoteTree implements AutoCloseable {
  private static final int WRITE_BITS = 0222;

  private final Fs123Remote remote;
  private final Map<String, Long> openedValidators = new ConcurrentHashMap<>();
  private final ExecutorService readAhead = Executors.newVirtualThreadPerTaskExecutor();
  static final int PARALLEL_ATTRIBUTE_FETCHES = 16;
  /**
   * Subdirectory listings fetched ahead of a reader at once: a few, since each is a whole directory's
   * worth of work on the server, and enough to overlap the round trips of a tree walk.
   */
  static final int PARALLEL_LISTING_FETCHES = 4;
  private final PrefetchQueue attributePrefetch;
  private final PrefetchQueue listingPrefetch;

  public RemoteTree(Fs123Remote remote) {
    this.remote = remote;
    this.attributePrefetch = new PrefetchQueue("attr-prefetch", PARALLEL_ATTRIBUTE_FETCHES, child -> remote.attr(child, false));
    this.listingPrefetch = new PrefetchQueue("listing-prefetch", PARALLEL_LISTING_FETCHES, remote::list);
  }

  public Lookup lookup(String path, long ino) throws IOException {
    try {
      Fs123Remote.Attr a = remote.attr(path, false);
      return new Entry(attributes(a.attr().attributes(), ino), a.kernelTimeout(), a.kernelTimeout());
    } catch (ErrnoException e) {
      if (e.errno() != Errno.ENOENT) {
        throw e;
      }
      Optional<Duration> negative = remote.absent(path);
      return new NoEntry(negative.orElse(Duration.ZERO));
    }
  }

  public TimedAttributes getattr(String path, long ino) throws IOException {
    Fs123Remote.Attr a = remote.attr(path, false);
    return new TimedAttributes(attributes(a.attr().attributes(), ino), a.kernelTimeout());
  }

  /**
   * The entries of directory {@code path}, without "." and "..". A listing is usually followed by a
   * stat of every entry ({@code ls -l}). A keepfs gateway sends their attributes with the listing;
   * from a plain fs123 server that costs one request each, so they are fetched into the caches in
   * parallel now, {@link #PARALLEL_ATTRIBUTE_FETCHES} at a time, as many as {@link PrefetchQueue}'s queue holds.
   *
   * <p>A tree walk ({@code ls -lR}, {@code find}, {@code du}) lists each subdirectory next, one after
   * another, so their listings are fetched ahead of it, {@link #PARALLEL_LISTING_FETCHES} at a time
   * and in name order (the order such tools visit them): the round trips overlap instead of adding up.
   * A listing fetched ahead is not fetched twice: the walk waits for it, or takes it over if no
   * worker has started it yet.
   */
  public List<DirEntry> list(String path) throws IOException {
    try {
      listingPrefetch.awaitOrClaim(path);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ErrnoException(Errno.EINTR, "interrupted while the listing of " + path + " was being fetched");
    }
    Fs123Remote.Listing listing = remote.list(path);
    List<DirEntry> entries = listing.entries();
    List<String> subdirectories = entries.stream().filter(e -> e.dType() == DType.DIR).map(DirEntry::name).sorted().toList();
    for (String name : subdirectories) {
      if (!listingPrefetch.offer(path + "/" + name)) {
        break;
      }
    }
    if (listing.attributed()) {
      return entries;
    }
    for (DirEntry e : entries) {
      if (!attributePrefetch.offer(path + "/" + e.name())) {
        break;
      }
    }
    return entries;
  }

  public String readlink(String path) throws IOException {
    return remote.readlink(path);
  }

  public OpenFile open(String path, long ino) throws IOException {
    Fs123Remote.Attr a = remote.attr(path, false);
    Attributes at = a.attr().attributes();
    if (at.isDirectory()) {
      throw new ErrnoException(Errno.EISDIR, path + " is a directory");
    }
    if (!at.isRegularFile()) {
      throw new ErrnoException(Errno.EINVAL, path + " is not a regular file");
    }
    long validator = a.attr().validator();
    Long before = openedValidators.put(path, validator);
    PageCache pc = a.kernelTimeout().isZero() ? PageCache.BYPASS
        : before != null && before == validator ? PageCache.KEEP : PageCache.DROP;
    TimedAttributes ta = new TimedAttributes(attributes(at, ino), a.kernelTimeout());
    return new RemoteFile(remote, path, validator, a.cookie(), pc, ta, readAhead);
  }

  public FsStats statfs() throws IOException {
    StatfsReply s = remote.statfs();
    int bsize = (int) Math.max(1, Math.min(Integer.MAX_VALUE, s.frsize() > 0 ? s.frsize() : s.bsize()));
    return new FsStats(bsize, s.blocks(), s.bfree(), s.bavail(), s.files(), s.ffree(),
        (int) Math.max(1, Math.min(255, s.namemax())));
  }

  /** The client's view of fs123 attributes: the node type, read-only permission bits, times. */
  public static NodeAttributes attributes(Attributes a, long ino) {
    NodeType type = a.isDirectory() ? NodeType.DIRECTORY : a.isSymlink() ? NodeType.SYMLINK : NodeType.FILE;
    int permissions = (int) (a.mode() & 07777) & ~WRITE_BITS;
    return new NodeAttributes(ino, type, permissions, Math.max(0, a.nlink()), Math.max(0, a.size()), (int) a.uid(),
        (int) a.gid(), Instant.ofEpochSecond(a.atime(), a.atimeNsec()), Instant.ofEpochSecond(a.mtime(), a.mtimeNsec()),
        Instant.ofEpochSecond(a.ctime(), a.ctimeNsec()));
  }

  /** The in-memory attribute cache's counters, for the stats file. */
  public String renderStats() {
    return remote.renderStats();
  }

  @Override
  public void close() {
    listingPrefetch.close();
    attributePrefetch.close();
    readAhead.shutdownNow();
  }
}
