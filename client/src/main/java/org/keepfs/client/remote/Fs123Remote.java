package org.keepfs.client.remote;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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

  private final CachedReplies replies;
  private final String prefix;

  /** @param prefix the path prefix of fs123 requests on the gateway ("" for the usual {@code /fs123/7/2}) */
  public Fs123Remote(CachedReplies replies, String prefix) {
    this.replies = replies;
    this.prefix = prefix;
  }

  /** A decoded {@code /a} reply. */
  public record Attr(AttrReply attr, long cookie, Duration kernelTimeout) {}

  /** A decoded {@code /f} chunk. */
  public record Chunk(long validator, long cookie, ByteBuffer data) {}

  /** The attributes of {@code path}; ENOENT and other errnos as {@link ErrnoException}. */
  public Attr attr(String path, boolean noCache) throws IOException {
    Answer a = send(RequestKind.ATTRIBUTES, path, new Fs123Query.None(), noCache);
    checkErrno(path, a);
    try {
      return new Attr(AttrReply.parse(a.reply().body()), cookie(a.reply()), a.kernelTimeout());
    } catch (Fs123FormatException e) {
      throw new ErrnoException(Errno.EIO, "/a" + path + ": " + e.getMessage());
    }
  }

  /** How long a failed lookup of {@code path} may be remembered, if it failed with ENOENT; empty if it exists. */
  public Optional<Duration> absent(String path) throws IOException {
    Answer a = send(RequestKind.ATTRIBUTES, path, new Fs123Query.None(), false);
    if (errno(path, a) == Errno.ENOENT) {
      return Optional.of(a.kernelTimeout());
    }
    return Optional.empty();
  }

  /** Every entry of directory {@code path} ("." and ".." left out), fetching all pages. */
  public List<DirEntry> list(String path) throws IOException {
    List<DirEntry> out = new ArrayList<>();
    Fs123Query.Dir q = new Fs123Query.Dir(CHUNK_KIB, true, 0);
    for (int page = 0; page < 1_000_000; page++) {
      Answer a = send(RequestKind.DIRECTORY, path, q, false);
      checkErrno(path, a);
      String next = a.reply().header(Fs123Protocol.NEXT_OFFSET_HEADER).orElseThrow(() ->
          new ErrnoException(Errno.EIO, "/d" + path + ": the reply has no " + Fs123Protocol.NEXT_OFFSET_HEADER + " header"));
      try {
        for (DirEntry e : DirEntry.parseAll(a.reply().body())) {
          if (!e.name().equals(".") && !e.name().equals("..")) {
            out.add(e);
          }
        }
        NextOffset n = NextOffset.parse(next);
        if (n.eof()) {
          return out;
        }
        q = new Fs123Query.Dir(CHUNK_KIB, false, n.offset());
      } catch (Fs123FormatException e) {
        throw new ErrnoException(Errno.EIO, "/d" + path + ": " + e.getMessage());
      }
    }
    throw new ErrnoException(Errno.EIO, "/d" + path + ": the listing did not end after a million pages");
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
