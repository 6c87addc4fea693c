package org.keepfs.client.remote;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.keepfs.client.cache.CacheLifetimes;
import org.keepfs.client.cache.FreshnessVerdict;
import org.keepfs.fs123.AttributedDirEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.keepfs.client.cache.StoredReply;
import org.keepfs.fs123.AttrReply;
import org.keepfs.fs123.DirEntry;
import org.keepfs.fs123.Fs123FormatException;
import org.keepfs.fs123.Fs123Protocol;
import org.keepfs.fs123.Fs123Query;
import org.keepfs.fs123.Fs123Request;
import org.keepfs.fs123.Netstring;
import org.keepfs.fs123.NextOffset;
import org.keepfs.fs123.RequestKind;
import org.keepfs.fs123.StatfsReply;
import org.keepfs.posix.Errno;
import org.keepfs.posix.ErrnoException;

/**
 * The fs123 7.2 requests the client sends, decoded with the common wire formats: {@code /a}, {@code /d}
 * (all pages), {@code /f} in {@link #CHUNK_BYTES} chunks, {@code /l}, {@code /s}. Paths are "" for the
 * root or "/a/b". Errno replies come back as {@link ErrnoException}s carrying the server's errno;
 * protocol faults (missing fs123-errno, unreadable bodies) as EIO naming what was wrong.
 */
public final class Fs123Remote {
  /** The chunk size of {@code /f} and {@code /d} requests, as the stock client sends them: 128 KiB. */
  public static final int CHUNK_KIB = 128;
  public static final int CHUNK_BYTES = CHUNK_KIB * Fs123Protocol.KIB;

  private static final CachedReplies.StoreRule FS123_STORABLE = r -> {
    if (r.status() != 200) {
      return false;
    }
    String errno = r.header(Fs123Protocol.ERRNO_HEADER).orElse("");
    return errno.equals("0") || errno.equals(Integer.toString(Errno.ENOENT)) || errno.equals(Integer.toString(Errno.ENODATA));
  };

  private static final int MAX_PARSED_PAGES = 4096;

  private final CachedReplies replies;
  private final String prefix;
  private final AttributeCache attributes = new AttributeCache(AttributeCache.DEFAULT_CAPACITY);
  private final Map<String, ParsedPage> parsedPages = new ConcurrentHashMap<>();

  /** @param prefix the path prefix of fs123 requests on the gateway ("" for the usual {@code /fs123/7/2}) */
  public Fs123Remote(CachedReplies replies, String prefix) {
    this.replies = replies;
    this.prefix = prefix;
  }

  /** A decoded {@code /a} reply. */
  public record Attr(AttrReply attr, long cookie, Duration kernelTimeout) {}

  /** A decoded {@code /f} chunk. */
  public record Chunk(long validator, long cookie, ByteBuffer data) {}

  /**
   * The attributes of {@code path}; ENOENT and other errnos as {@link ErrnoException}. Answered from
   * memory while what is known there is fresh (from an earlier {@code /a} or a listing that carried
   * attributes); {@code noCache} always asks.
   */
  public Attr attr(String path, boolean noCache) throws IOException {
    if (!noCache) {
      Optional<Attr> known = usable(path);
      if (known.isEmpty() && !path.isEmpty() && seedFromStoredListing(path.substring(0, path.lastIndexOf('/')))) {
        known = usable(path);
      }
      if (known.isPresent()) {
        return known.get();
      }
    }
    Answer a = send(RequestKind.ATTRIBUTES, path, new Fs123Query.None(), noCache);
    int errno = errno(path, a);
    if (errno != 0) {
      attributes.remove(path);
      throw new ErrnoException(errno, (path.isEmpty() ? "/" : path) + ": the gateway answered errno " + errno);
    }
    try {
      StoredReply r = a.reply();
      AttrReply attr = AttrReply.parse(r.body());
      long cookie = cookie(r);
      attributes.put(path, new AttributeCache.Known(attr, cookie, generated(r), r.expires(), r.lifetimes()));
      return new Attr(attr, cookie, a.kernelTimeout());
    } catch (Fs123FormatException e) {
      throw new ErrnoException(Errno.EIO, "/a" + path + ": " + e.getMessage());
    }
  }

  private Optional<Attr> usable(String path) {
    Optional<AttributeCache.Known> known = attributes.get(path);
    if (known.isEmpty()) {
      return Optional.empty();
    }
    AttributeCache.Known k = known.get();
    FreshnessVerdict v = replies.policy().judge(k.expires(), k.lifetimes());
    return v.action() == FreshnessVerdict.Action.SERVE ? Optional.of(new Attr(k.attr(), k.cookie(), v.kernelTimeout()))
        : Optional.empty();
  }

  /**
   * Seeds the attribute cache from directory {@code dir}'s listing if the reply cache holds it (after
   * a restart, one stored listing answers the whole directory); never uses the network. Returns
   * whether any page carried attributes.
   */
  private boolean seedFromStoredListing(String dir) throws IOException {
    Fs123Query.Dir q = new Fs123Query.Dir(CHUNK_KIB, true, 0, true);
    boolean seeded = false;
    for (int page = 0; page < 1_000_000; page++) {
      Optional<StoredReply> stored = replies.stored(new Fs123Request(prefix, RequestKind.DIRECTORY, dir, q).toUrl());
      if (stored.isEmpty() || !stored.get().header(Fs123Protocol.ERRNO_HEADER).orElse("").equals("0")) {
        return seeded;
      }
      StoredReply r = stored.get();
      try {
        ParsedPage parsed = parse(r);
        if (parsed.attributed() == null) {
          return seeded;
        }
        seed(dir, r, parsed.attributed());
        seeded = true;
        Optional<NextOffset> next = r.header(Fs123Protocol.NEXT_OFFSET_HEADER).map(NextOffset::parse);
        if (next.isEmpty() || next.get().eof()) {
          return seeded;
        }
        q = new Fs123Query.Dir(CHUNK_KIB, false, next.get().offset(), true);
      } catch (Fs123FormatException e) {
        // A stored listing that does not parse seeds nothing; the lookup asks the server instead.
        return seeded;
      }
    }
    return seeded;
  }

  private static Instant generated(StoredReply r) {
    return r.fetchedAt().minus(r.age());
  }

  /** How long a failed lookup of {@code path} may be remembered, if it failed with ENOENT; empty if it exists. */
  public Optional<Duration> absent(String path) throws IOException {
    Answer a = send(RequestKind.ATTRIBUTES, path, new Fs123Query.None(), false);
    if (errno(path, a) == Errno.ENOENT) {
      return Optional.of(a.kernelTimeout());
    }
    return Optional.empty();
  }

  /**
   * A directory's entries ("." and ".." left out) and whether the server sent their attributes.
   *
   * @param attributed true when every page carried attributes (the keepfs listing extension), which
   *     are then in the attribute cache; false from a plain fs123 server
   */
  public record Listing(List<DirEntry> entries, boolean attributed) {}

  /** One {@code /d} page as parsed, kept while the reply it came from is the one the cache returns. */
  private record ParsedPage(StoredReply source, List<DirEntry> entries, List<AttributedDirEntry> attributed) {}

  /**
   * Every entry of directory {@code path}, fetching all pages, asking for the entries' attributes.
   * Attributes that come back seed the attribute cache, each with its own max-age counted from when
   * the server generated the listing, so that {@code ls -l} of a directory is one request.
   */
  public Listing list(String path) throws IOException {
    List<DirEntry> out = new ArrayList<>();
    boolean attributed = true;
    Fs123Query.Dir q = new Fs123Query.Dir(CHUNK_KIB, true, 0, true);
    for (int page = 0; page < 1_000_000; page++) {
      Answer a = send(RequestKind.DIRECTORY, path, q, false);
      checkErrno(path, a);
      StoredReply r = a.reply();
      String next = r.header(Fs123Protocol.NEXT_OFFSET_HEADER).orElseThrow(() ->
          new ErrnoException(Errno.EIO, "/d" + path + ": the reply has no " + Fs123Protocol.NEXT_OFFSET_HEADER + " header"));
      try {
        ParsedPage parsed = parse(r);
        out.addAll(parsed.entries());
        if (parsed.attributed() == null) {
          attributed = false;
        } else {
          seed(path, r, parsed.attributed());
        }
        NextOffset n = NextOffset.parse(next);
        if (n.eof()) {
          return new Listing(out, attributed);
        }
        q = new Fs123Query.Dir(CHUNK_KIB, false, n.offset(), true);
      } catch (Fs123FormatException e) {
        throw new ErrnoException(Errno.EIO, "/d" + path + ": " + e.getMessage());
      }
    }
    throw new ErrnoException(Errno.EIO, "/d" + path + ": the listing did not end after a million pages");
  }

  private ParsedPage parse(StoredReply r) {
    ParsedPage memo = parsedPages.get(r.url());
    if (memo != null && memo.source() == r) {
      return memo;
    }
    boolean extended = r.header(Fs123Protocol.ENTRY_ATTRIBUTES_HEADER)
        .map(v -> v.trim().equals(Fs123Protocol.ENTRY_ATTRIBUTES_VERSION)).orElse(false);
    List<DirEntry> entries = new ArrayList<>();
    List<AttributedDirEntry> withAttributes = null;
    if (extended) {
      withAttributes = new ArrayList<>();
      for (AttributedDirEntry e : AttributedDirEntry.parseAll(r.body())) {
        if (!isDot(e.entry().name())) {
          entries.add(e.entry());
          withAttributes.add(e);
        }
      }
    } else {
      for (DirEntry e : DirEntry.parseAll(r.body())) {
        if (!isDot(e.name())) {
          entries.add(e);
        }
      }
    }
    ParsedPage parsed = new ParsedPage(r, List.copyOf(entries), withAttributes == null ? null : List.copyOf(withAttributes));
    if (parsedPages.size() >= MAX_PARSED_PAGES) {
      // Crude but bounded: a dropped page costs one parse of a reply still held by the reply cache.
      parsedPages.clear();
    }
    parsedPages.put(r.url(), parsed);
    return parsed;
  }

  private void seed(String dir, StoredReply r, List<AttributedDirEntry> entries) {
    Instant generated = generated(r);
    for (AttributedDirEntry e : entries) {
      if (e.attributes().isPresent()) {
        CacheLifetimes lifetimes = CacheLifetimes.of(e.cacheControl());
        attributes.put(dir + "/" + e.entry().name(), new AttributeCache.Known(e.attributes().get(), e.entry().cookie(),
            generated, generated.plus(lifetimes.maxAge()), lifetimes));
      }
    }
  }

  private static boolean isDot(String name) {
    return name.equals(".") || name.equals("..");
  }

  /** The attribute cache's counters, for the stats file. */
  public String renderStats() {
    return attributes.renderStats();
  }

  /** The target of symlink {@code path}. */
  public String readlink(String path) throws IOException {
    Answer a = send(RequestKind.LINK, path, new Fs123Query.None(), false);
    checkErrno(path, a);
    return new String(a.reply().body(), StandardCharsets.UTF_8);
  }

  /** Chunk {@code index} of file {@code path}: its validator, cookie and up to {@link #CHUNK_BYTES} bytes. */
  public Chunk chunk(String path, long index, boolean noCache) throws IOException {
    Answer a = send(RequestKind.FILE, path, new Fs123Query.File(CHUNK_KIB, index * CHUNK_KIB), noCache);
    checkErrno(path, a);
    ByteBuffer body = a.reply().bodyBuffer();
    try {
      long validator = Netstring.decodeUnsigned(body);
      if (body.remaining() > CHUNK_BYTES) {
        throw new ErrnoException(Errno.EIO, "/f" + path + " chunk " + index + ": " + body.remaining()
            + " data bytes, more than the " + CHUNK_BYTES + " asked for");
      }
      return new Chunk(validator, cookie(a.reply()), body.slice());
    } catch (Fs123FormatException e) {
      throw new ErrnoException(Errno.EIO, "/f" + path + " chunk " + index + ": " + e.getMessage());
    }
  }

  public StatfsReply statfs() throws IOException {
    Answer a = send(RequestKind.STATFS, "", new Fs123Query.None(), false);
    checkErrno("", a);
    try {
      return StatfsReply.parse(a.reply().body());
    } catch (Fs123FormatException e) {
      throw new ErrnoException(Errno.EIO, "/s: " + e.getMessage());
    }
  }

  private Answer send(RequestKind kind, String path, Fs123Query query, boolean noCache) throws IOException {
    String url = new Fs123Request(prefix, kind, path, query).toUrl();
    return noCache ? replies.refetch(url, FS123_STORABLE, UnaryOperator.identity())
        : replies.get(url, FS123_STORABLE, UnaryOperator.identity());
  }

  private static void checkErrno(String path, Answer a) throws ErrnoException {
    int errno = errno(path, a);
    if (errno != 0) {
      throw new ErrnoException(errno, (path.isEmpty() ? "/" : path) + ": the gateway answered errno " + errno);
    }
  }

  private static int errno(String path, Answer a) throws ErrnoException {
    StoredReply r = a.reply();
    String value = r.header(Fs123Protocol.ERRNO_HEADER).orElseThrow(() ->
        new ErrnoException(Errno.EIO, r.url() + ": the reply has no " + Fs123Protocol.ERRNO_HEADER + " header (not an fs123 server?)"));
    try {
      int errno = Integer.parseInt(value.trim());
      if (errno < 0) {
        throw new NumberFormatException();
      }
      return errno;
    } catch (NumberFormatException e) {
      throw new ErrnoException(Errno.EIO, r.url() + ": " + Fs123Protocol.ERRNO_HEADER + " '" + value + "' is not an errno");
    }
  }

  private static long cookie(StoredReply r) {
    try {
      return Long.parseUnsignedLong(r.header(Fs123Protocol.ESTALE_COOKIE_HEADER).orElse("0").trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
