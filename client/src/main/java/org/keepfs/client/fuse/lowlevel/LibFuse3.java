package org.keepfs.client.fuse.lowlevel;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * Downcalls into {@code libfuse3.so.3}, found through the dynamic linker's cache (so neither
 * {@code java.library.path} nor the {@code -dev} package is needed). Handles are {@code static final}
 * so the JIT can inline them on the request path.
 *
 * <p><b>Versioned symbols.</b> {@code dlsym} returns a symbol's default version. Functions whose
 * signature changed between libfuse releases are looked up by their explicit implementation name:
 * {@code fuse_session_loop_mt_312} (3.12+, an opaque {@code fuse_loop_config}) before
 * {@code fuse_session_loop_mt_31} (3.2+, a clone_fd flag), and {@code _fuse_session_new} (3.17+,
 * takes the caller's libfuse version) before the plain {@code fuse_session_new}.
 */
final class LibFuse3 {
  static final String LIBRARY = "libfuse3.so.3";
  /** The libfuse release whose struct layouts this binding writes (see {@link Structs}). */
  static final int[] ABI_VERSION = {3, 14, 0};

  private static final Linker LINKER = Linker.nativeLinker();
  private static final SymbolLookup LIB = SymbolLookup.libraryLookup(LIBRARY, Arena.global());

  static final MethodHandle SESSION_NEW = optional("fuse_session_new",
      FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS)).orElse(null);
  static final MethodHandle SESSION_NEW_317 = optional("_fuse_session_new",
      FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS)).orElse(null);
  static final MethodHandle SESSION_MOUNT = required("fuse_session_mount", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
  static final MethodHandle SESSION_UNMOUNT = required("fuse_session_unmount", FunctionDescriptor.ofVoid(ADDRESS));
  static final MethodHandle SESSION_DESTROY = required("fuse_session_destroy", FunctionDescriptor.ofVoid(ADDRESS));
  static final MethodHandle SESSION_EXIT = required("fuse_session_exit", FunctionDescriptor.ofVoid(ADDRESS));
  static final MethodHandle SESSION_LOOP = required("fuse_session_loop", FunctionDescriptor.of(JAVA_INT, ADDRESS));
  static final MethodHandle SESSION_LOOP_MT_312 = optional("fuse_session_loop_mt_312",
      FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS)).orElse(null);
  static final MethodHandle SESSION_LOOP_MT_31 = optional("fuse_session_loop_mt_31",
      FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT)).orElse(null);
  static final MethodHandle LOOP_CFG_CREATE = optional("fuse_loop_cfg_create", FunctionDescriptor.of(ADDRESS)).orElse(null);
  static final MethodHandle LOOP_CFG_DESTROY = optional("fuse_loop_cfg_destroy", FunctionDescriptor.ofVoid(ADDRESS)).orElse(null);
  static final MethodHandle LOOP_CFG_SET_MAX_THREADS = optional("fuse_loop_cfg_set_max_threads",
      FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT)).orElse(null);

  static final MethodHandle REPLY_ERR = required("fuse_reply_err", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
  static final MethodHandle REPLY_NONE = required("fuse_reply_none", FunctionDescriptor.ofVoid(ADDRESS));
  static final MethodHandle REPLY_ENTRY = required("fuse_reply_entry", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
  static final MethodHandle REPLY_CREATE = required("fuse_reply_create", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
  static final MethodHandle REPLY_ATTR = required("fuse_reply_attr", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_DOUBLE));
  static final MethodHandle REPLY_READLINK = required("fuse_reply_readlink", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
  static final MethodHandle REPLY_OPEN = required("fuse_reply_open", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
  static final MethodHandle REPLY_WRITE = required("fuse_reply_write", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
  static final MethodHandle REPLY_BUF = required("fuse_reply_buf", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
  static final MethodHandle REPLY_DATA = required("fuse_reply_data", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
  static final MethodHandle REPLY_STATFS = required("fuse_reply_statfs", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
  static final MethodHandle REPLY_XATTR = required("fuse_reply_xattr", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
  static final MethodHandle ADD_DIRENTRY = required("fuse_add_direntry",
      FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG));
  static final MethodHandle ADD_DIRENTRY_PLUS = required("fuse_add_direntry_plus",
      FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG));
  static final MethodHandle NOTIFY_INVAL_INODE = required("fuse_lowlevel_notify_inval_inode",
      FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG));
  static final MethodHandle NOTIFY_INVAL_ENTRY = required("fuse_lowlevel_notify_inval_entry",
      FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG));

  private LibFuse3() {}

  /**
   * Loads the library and every symbol this binding needs, or says what is missing. Loading is
   * class initialisation, so it happens once; a failure surfaces here, not at the first request.
   */
  static void requireLoaded() throws org.keepfs.client.fuse.FuseUnavailableException {
    try {
      if (SESSION_NEW == null && SESSION_NEW_317 == null) {
        throw new IllegalStateException(LIBRARY + " exports neither fuse_session_new nor _fuse_session_new");
      }
    } catch (LinkageError | RuntimeException e) {
      Throwable cause = e instanceof ExceptionInInitializerError && e.getCause() != null ? e.getCause() : e;
      throw new org.keepfs.client.fuse.FuseUnavailableException("libfuse 3 could not be loaded (" + cause
          + "): install it (Debian/Ubuntu: apt-get install libfuse3-3) or mount with --fuse-api highlevel", e);
    }
  }

  private static Optional<MethodHandle> optional(String name, FunctionDescriptor descriptor) {
    return LIB.find(name).map(address -> LINKER.downcallHandle(address, descriptor));
  }

  private static MethodHandle required(String name, FunctionDescriptor descriptor) {
    return optional(name, descriptor)
        .orElseThrow(() -> new IllegalStateException(LIBRARY + " does not export " + name + " (libfuse 3.2 or newer is needed)"));
  }

  /** True when a native pointer is NULL. */
  static boolean isNull(MemorySegment pointer) {
    return pointer.address() == 0;
  }
}
