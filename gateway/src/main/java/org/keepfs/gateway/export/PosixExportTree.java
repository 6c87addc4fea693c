package org.keepfs.gateway.export;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.keepfs.fs123.AttrReply;
import org.keepfs.fs123.AttributedDirEntry;
import org.keepfs.fs123.Attributes;
import org.keepfs.fs123.CacheControl;
import org.keepfs.fs123.DType;
import org.keepfs.fs123.DirChunkBuilder;
import org.keepfs.fs123.DirEntry;
import org.keepfs.fs123.Fs123FormatException;
import org.keepfs.fs123.MonotonicValidator;
import org.keepfs.fs123.NextOffset;
import org.keepfs.fs123.StatfsReply;
import org.keepfs.gateway.linux.LinuxFiles;
import org.keepfs.gateway.linux.Statx;
import org.keepfs.gateway.tree.DirPage;
import org.keepfs.gateway.tree.EncodedListing;
import org.keepfs.gateway.tree.FileRead;
import org.keepfs.gateway.tree.Fs123Tree;
import org.keepfs.gateway.tree.NodeAttributes;
import org.keepfs.posix.Errno;
import org.keepfs.posix.ErrnoException;

/**
 * A POSIX directory served read-only over fs123, exportd-compatible.
 *
 * <p>The export root is opened once; every request resolves its path below that descriptor with
 * {@code openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS)}: a symlink is reported as a symlink ({@code /a},
 * {@code /l}) but never followed, not even inside the export, so nothing outside the export is ever
 * served and a path through a symlink fails with ELOOP (clients resolve symlinks themselves, one
 * component at a time). Files the gateway cannot read give their errno.
 *
 * <p>Validators are exportd's: {@code min(mtime_ns, now_ns - 2 * granularity)}. Directory listings are
 * read in full once per directory version and cached (see {@link ListingCache}); the offsets handed to
 * clients are entry indexes into that listing.
 */
public final class PosixExportTree implements Fs123Tree, AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PosixExportTree.class);
  private final String name;
  private final Path root;
  private final int rootFd;
  private final ExportSettings settings;
  private final EstaleCookies cookies = new EstaleCookies();
  private final ListingCache listings = new ListingCache();
  private final CacheRules rules;

  /**
   * Opens the export.
   *
   * @param name how the export is named in log messages
   * @throws ErrnoException if {@code root} is not a directory the gateway can open
   */
  public PosixExportTree(String name, Path root, ExportSettings settings) throws ErrnoException {
    this.name = name;
    this.root = root.toAbsolutePath().normalize();
    this.rootFd = LinuxFiles.openDirectory(this.root.toString());
    this.settings = settings;
    this.rules = new CacheRules(rootFd, name, settings);
  }

  public Path root() {
    return root;
  }

  private static String relative(String path) {
    return path.isEmpty() ? "." : path.substring(1);
  }

  private String shown(String path) {
    return name + path;
  }

  private long validator(Attributes a) {
    return MonotonicValidator.of(a.mtimeNanos(), settings.wallClockNanos().getAsLong(), settings.mtimeGranularityNanos());
  }

  private int openPath(String path) throws ErrnoException {
    return LinuxFiles.openBeneath(rootFd, relative(path), LinuxFiles.O_PATH | LinuxFiles.O_NOFOLLOW);
  }

  /**
   * The export root and its own entries are stat'ed in one system call, without opening them: with a
   * single path component below the root descriptor there is no directory to walk through, so no symlink
   * can be followed (the entry itself is stat'ed with {@code AT_SYMLINK_NOFOLLOW}). Deeper paths are opened
   * with {@code openat2}, whose {@code RESOLVE_NO_SYMLINKS} checks every component on the way. The cookie
   * comes from the cache; only when this inode version has none yet is the object opened to compute it.
   */
  @Override
  public NodeAttributes attributes(String path) throws ErrnoException {
    Statx sx = statTopLevel(path);
    if (sx == null) {
      return openedAttributes(path);
    }
    long cookie = 0;
    if (EstaleCookies.hasCookie(sx)) {
      cookie = cookies.cached(sx);
      if (cookie == 0) {
        return openedAttributes(path);
      }
    }
    return new NodeAttributes(sx.attributes(), validator(sx.attributes()), cookie);
  }

  /** The stat of the export root or an entry directly in it, in one system call; null for deeper paths. */
  private Statx statTopLevel(String path) throws ErrnoException {
    if (path.lastIndexOf('/') > 0) {
      return null;
    }
    return path.isEmpty()
        ? LinuxFiles.statx(rootFd, name)
        : LinuxFiles.statxEntry(rootFd, path.substring(1), shown(path));
  }

  private NodeAttributes openedAttributes(String path) throws ErrnoException {
    int fd = openPath(path);
    try {
      Statx sx = LinuxFiles.statx(fd, shown(path));
      return new NodeAttributes(sx.attributes(), validator(sx.attributes()), cookies.cookie(fd, sx, shown(path)));
    } finally {
      LinuxFiles.close(fd);
    }
  }

  /**
   * A page of a listing. For the export root and the directories directly in it whose listing and cookie
   * are cached for their current version, one {@code statx} answers (as for {@link #attributes}); anything
   * else, including every error case, opens the directory and reads it as needed.
   */
  @Override
  public DirPage list(String path, boolean begin, long offset, int budgetBytes) throws ErrnoException {
    Statx top = statTopLevel(path);
    if (top != null && top.attributes().isDirectory()) {
      long cookie = cookies.cached(top);
      EncodedListing cached = cookie == 0 ? null : listings.get(path, listingVersion(top.attributes()));
      if (cached != null) {
        return cached.page(begin, offset, budgetBytes, validator(top.attributes()), cookie);
      }
    }
    int fd = LinuxFiles.openBeneath(rootFd, relative(path),
        LinuxFiles.O_RDONLY | LinuxFiles.O_DIRECTORY | LinuxFiles.O_NOFOLLOW);
    try {
      Statx sx = LinuxFiles.statx(fd, shown(path));
      EncodedListing listing = listing(fd, path, sx.attributes());
      return listing.page(begin, offset, budgetBytes, validator(sx.attributes()), cookies.cookie(fd, sx, shown(path)));
    } finally {
      LinuxFiles.close(fd);
    }
  }

  /**
   * The listing extension. Names come from the cached listing; attributes are read now, entry by
   * entry, because a file's size and times change without its directory changing.
   */
  @Override
  public Optional<DirPage> listWithAttributes(String path, boolean begin, long offset, int budgetBytes)
      throws ErrnoException {
    if (!begin && offset < 0) {
      throw new ErrnoException(Errno.EINVAL, "negative directory offset " + offset);
    }
    int fd = LinuxFiles.openBeneath(rootFd, relative(path),
        LinuxFiles.O_RDONLY | LinuxFiles.O_DIRECTORY | LinuxFiles.O_NOFOLLOW);
    try {
      Statx sx = LinuxFiles.statx(fd, shown(path));
      List<DirEntry> entries = listing(fd, path, sx.attributes()).entries();
      int n = entries.size();
      int i = begin ? 0 : (int) Math.min(offset, n);
      DirChunkBuilder chunk = new DirChunkBuilder(budgetBytes);
      for (; i < n; i++) {
        if (!chunk.addEncoded(withAttributes(fd, path, entries.get(i)).encode())) {
          break;
        }
      }
      return Optional.of(new DirPage(ByteBuffer.wrap(chunk.toByteArray()), new NextOffset(i, i == n),
          validator(sx.attributes()), cookies.cookie(fd, sx, shown(path))));
    } finally {
      LinuxFiles.close(fd);
    }
  }

  private AttributedDirEntry withAttributes(int dirFd, String dirPath, DirEntry e) {
    if (e.name().equals(".") || e.name().equals("..")) {
      return new AttributedDirEntry(e, Optional.empty(), CacheControl.NONE);
    }
    String entryPath = dirPath + "/" + e.name();
    try {
      int fd = LinuxFiles.openBeneath(dirFd, e.name(), LinuxFiles.O_PATH | LinuxFiles.O_NOFOLLOW);
      try {
        Statx sx = LinuxFiles.statx(fd, shown(entryPath));
        Attributes a = sx.attributes();
        long cookie = cookies.cookie(fd, sx, shown(entryPath));
        return new AttributedDirEntry(new DirEntry(e.name(), DType.ofMode(a.mode()), cookie),
            Optional.of(new AttrReply(a, validator(a))), rules.forPath(entryPath, a.isDirectory()));
      } finally {
        LinuxFiles.close(fd);
      }
    } catch (ErrnoException gone) {
      // Removed since the directory was read: listed without attributes, so a lookup asks /a.
      return new AttributedDirEntry(e, Optional.empty(), CacheControl.NONE);
    }
  }

  private static ListingCache.Version listingVersion(Attributes a) {
    return new ListingCache.Version(a.dev(), a.ino(), a.mtimeNanos(), a.ctime() * 1_000_000_000L + a.ctimeNsec());
  }

  private EncodedListing listing(int dirFd, String path, Attributes a) throws ErrnoException {
    ListingCache.Version version = listingVersion(a);
    EncodedListing listing = listings.get(path, version);
    if (listing == null) {
      listing = new EncodedListing(readEntries(dirFd, path));
      listings.put(path, version, listing, settings.wallClockNanos().getAsLong());
    }
    return listing;
  }

  private List<DirEntry> readEntries(int dirFd, String path) throws ErrnoException {
    List<LinuxFiles.RawDirEntry> raw = LinuxFiles.readDirectory(dirFd, shown(path));
    List<DirEntry> out = new ArrayList<>(raw.size());
    for (LinuxFiles.RawDirEntry e : raw) {
      String entryPath = path + "/" + e.name();
      if (e.name().equals(".") || e.name().equals("..")) {
        out.add(new DirEntry(e.name(), DType.DIR, 0));
        continue;
      }
      int type = e.dType();
      long cookie = 0;
      if (type == DType.DIR || type == DType.REG || type == DType.UNKNOWN) {
        try {
          int fd = LinuxFiles.openBeneath(dirFd, e.name(), LinuxFiles.O_PATH | LinuxFiles.O_NOFOLLOW);
          try {
            Statx sx = LinuxFiles.statx(fd, shown(entryPath));
            type = DType.ofMode(sx.attributes().mode());
            cookie = cookies.cookie(fd, sx, shown(entryPath));
          } finally {
            LinuxFiles.close(fd);
          }
        } catch (ErrnoException gone) {
          // Removed since the directory was read: list it with what readdir said; a lookup will tell.
        }
      }
      try {
        out.add(new DirEntry(e.name(), type, cookie));
      } catch (Fs123FormatException unrepresentable) {
        // A name that is not UTF-8 can grow past 255 bytes once decoded; it cannot be served either way.
        LOG.warn("not listing {}: {}", shown(entryPath), unrepresentable.getMessage());
      }
    }
    return out;
  }

  @Override
  public FileRead read(String path, long offset, ByteBuffer into) throws ErrnoException {
    int fd = openPath(path);
    try {
      Statx before = LinuxFiles.statx(fd, shown(path));
      if (!before.attributes().isRegularFile()) {
        throw new ErrnoException(before.attributes().isDirectory() ? Errno.EISDIR : Errno.EINVAL,
            shown(path) + " is not a regular file");
      }
      // Reopening the O_PATH descriptor's /proc link opens exactly the inode checked above; pread
      // then fills the reply buffer in place, without a FileChannel or an intermediate copy.
      int readFd = LinuxFiles.reopenForReading(fd, shown(path));
      int bytesRead;
      try {
        bytesRead = LinuxFiles.pread(readFd, into, offset, shown(path));
      } finally {
        LinuxFiles.close(readFd);
      }
      Statx after = LinuxFiles.statx(fd, shown(path));
      Attributes a = after.attributes();
      return new FileRead(bytesRead, validator(a), cookies.cookie(fd, after, shown(path)), a.size());
    } finally {
      LinuxFiles.close(fd);
    }
  }

  @Override
  public byte[] readlink(String path) throws ErrnoException {
    int fd = openPath(path);
    try {
      Statx sx = LinuxFiles.statx(fd, shown(path));
      if (!sx.attributes().isSymlink()) {
        throw new ErrnoException(Errno.EINVAL, shown(path) + " is not a symlink");
      }
      return LinuxFiles.readlink(fd, shown(path));
    } finally {
      LinuxFiles.close(fd);
    }
  }

  @Override
  public StatfsReply statfs(String path) throws ErrnoException {
    int fd = openPath(path);
    try {
      return LinuxFiles.statvfs(fd, shown(path));
    } finally {
      LinuxFiles.close(fd);
    }
  }

  @Override
  public byte[] xattr(String path, String attribute) throws ErrnoException {
    int fd = openPath(path);
    try {
      Statx sx = LinuxFiles.statx(fd, shown(path));
      if (!sx.attributes().isRegularFile() && !sx.attributes().isDirectory()) {
        throw new ErrnoException(Errno.EOPNOTSUPP, "extended attributes are served for files and directories only");
      }
      int rfd = LinuxFiles.reopenForReading(fd, shown(path));
      try {
        return attribute.isEmpty()
            ? LinuxFiles.listxattr(rfd, shown(path))
            : LinuxFiles.getxattr(rfd, attribute, shown(path));
      } finally {
        LinuxFiles.close(rfd);
      }
    } finally {
      LinuxFiles.close(fd);
    }
  }

  @Override
  public CacheControl cacheControl(String path, boolean directory) {
    return rules.forPath(path, directory);
  }

  @Override
  public void close() {
    LinuxFiles.close(rootFd);
  }
}
