package org.keepfs.gateway.tree;

import java.nio.ByteBuffer;
import org.keepfs.fs123.CacheControl;
import org.keepfs.fs123.StatfsReply;
import org.keepfs.posix.Errno;
import org.keepfs.posix.ErrnoException;

/**
 * A read-only tree served over fs123. Paths are decoded and already checked by the protocol layer:
 * {@code ""} is this tree's root, anything else is {@code '/'} followed by non-empty components, none of
 * them {@code .} or {@code ..}.
 *
 * <p>Failures are filesystem errors, thrown as {@link ErrnoException}: the gateway turns them into
 * {@code 200} replies carrying {@code fs123-errno}, cached like the path's successes when the errno is
 * ENOENT and briefly otherwise. Any other exception is a server fault (HTTP 500), so an implementation
 * should map what it can (see {@link Errno#of}).
 *
 * <p>Contracts every implementation must keep, because clients depend on them:
 *
 * <ul>
 *   <li><b>Validators</b> never decrease for a path's content, and {@link #attributes} and {@link #read}
 *       report the same one for the same content (see {@link org.keepfs.fs123.MonotonicValidator}).
 *   <li><b>ESTALE cookies</b> identify the object currently at a path: the same value for the same
 *       object, a different one when the path now names a different object (rename-over, delete and
 *       recreate). 0 means "unknown, do not check".
 *   <li><b>Listing offsets</b> are opaque to clients and only need to mean something to the tree that
 *       issued them.
 * </ul>
 *
 * <p>Implementations are called concurrently from many request threads.
 */
public interface Fs123Tree {

  /** {@code /a}: the attributes of the object at {@code path}, not following a final symlink. */
  NodeAttributes attributes(String path) throws ErrnoException;

  /**
   * {@code /d}: the records of the directory at {@code path} that fit in {@code budgetBytes}, starting at
   * the beginning ({@code begin}) or at an offset this tree returned earlier. {@code .} and {@code ..} are
   * part of the listing.
   */
  DirPage list(String path, boolean begin, long offset, int budgetBytes) throws ErrnoException;

  /**
   * {@code /d} with the keepfs listing extension: as {@link #list}, but each record is an {@link
   * org.keepfs.fs123.AttributedDirEntry} carrying the entry's {@code /a} body and Cache-Control, as
   * {@link #attributes} and {@link #cacheControl} would give them now. Offsets are those of {@link
   * #list}. Empty when this tree does not offer the extension; the caller then answers a plain listing.
   */
  default java.util.Optional<DirPage> listWithAttributes(String path, boolean begin, long offset, int budgetBytes)
      throws ErrnoException {
    return java.util.Optional.empty();
  }

  /**
   * {@code /f}: reads the regular file at {@code path} from byte {@code offset} into {@code into} (from
   * its position to its limit), stopping early only at end of file; advances the buffer's position by
   * the bytes read. The returned validator must describe data at least as new as what was read.
   */
  FileRead read(String path, long offset, ByteBuffer into) throws ErrnoException;

  /** {@code /l}: the target of the symlink at {@code path}, as raw bytes. EINVAL if it is not a symlink. */
  byte[] readlink(String path) throws ErrnoException;

  /** {@code /s}: the statvfs numbers of the filesystem holding {@code path}. */
  StatfsReply statfs(String path) throws ErrnoException;

  /**
   * {@code /x}: the value of extended attribute {@code name}, or when {@code name} is empty the
   * NUL-terminated list of names. ENODATA when there is no such attribute; ENOTSUP where unsupported.
   */
  default byte[] xattr(String path, String name) throws ErrnoException {
    throw new ErrnoException(Errno.EOPNOTSUPP, "extended attributes are not supported here");
  }

  /**
   * True when answering a metadata request ({@code /a}, {@code /d}, {@code /l}, {@code /s}) about
   * {@code path} may wait on the network or a remote store. The protocol layer answers such requests
   * on a thread of their own instead of the I/O thread that parsed them.
   */
  default boolean mayWait(String path) {
    return false;
  }

  /**
   * The Cache-Control for successful (and ENOENT) replies about {@code path}; {@code directory} says
   * whether the path is (or is being listed as) a directory. Must include {@code max-age}.
   */
  CacheControl cacheControl(String path, boolean directory);
}
