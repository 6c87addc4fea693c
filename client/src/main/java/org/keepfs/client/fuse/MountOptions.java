package org.keepfs.client.fuse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The options of one mount, and which libfuse API serves it.
 *
 * <p>With the high-level API (libfuse 2), {@code big_writes} with {@code max_write}/{@code max_read}
 * of 128 KiB are always on: without them libfuse 2 writes in 4 KiB requests (about 200 MB/s instead
 * of 1.5 GB/s), and the timeouts below are mount-wide because that API cannot set them per reply
 * (see {@link FuseAdapter}). The low-level API (libfuse 3) takes each lifetime from the filesystem's
 * reply, so it ignores these three timeouts.
 *
 * @param fsName what {@code mount} and {@code df} show as the source (for example the gateway URL)
 * @param subtype the part after {@code fuse.} in the filesystem type
 * @param readOnly mount with {@code -o ro}
 * @param allowOther let users other than the mounting one see the files ({@code allow_other})
 * @param entryTimeout how long the kernel caches a name
 * @param attrTimeout how long the kernel caches attributes
 * @param negativeTimeout how long the kernel remembers that a name does not exist
 * @param api which libfuse API serves the mount
 */
public record MountOptions(
    String fsName,
    String subtype,
    boolean readOnly,
    boolean allowOther,
    Duration entryTimeout,
    Duration attrTimeout,
    Duration negativeTimeout,
    FuseApi api) {

  /** The API a mount uses unless told otherwise. */
  public static final FuseApi DEFAULT_API = FuseApi.parse(FuseApi.DEFAULT_NAME);

  /** The largest read and write request libfuse 2 negotiates: 128 KiB. */
  public static final int MAX_IO_SIZE = 131072;

  public MountOptions {
    requireOptionSafe(fsName, "fsName");
    requireOptionSafe(subtype, "subtype");
    requireNonNegative(entryTimeout, "entryTimeout");
    requireNonNegative(attrTimeout, "attrTimeout");
    requireNonNegative(negativeTimeout, "negativeTimeout");
    Objects.requireNonNull(api, "api");
  }

  /** Read-only, private to the mounting user, one second of kernel caching. */
  public static MountOptions defaults(String fsName) {
    Duration second = Duration.ofSeconds(1);
    return new MountOptions(fsName, "keepfs", true, false, second, second, second, DEFAULT_API);
  }

  public MountOptions withReadOnly(boolean ro) {
    return new MountOptions(fsName, subtype, ro, allowOther, entryTimeout, attrTimeout, negativeTimeout, api);
  }

  public MountOptions withAllowOther(boolean allow) {
    return new MountOptions(fsName, subtype, readOnly, allow, entryTimeout, attrTimeout, negativeTimeout, api);
  }

  public MountOptions withTimeouts(Duration entry, Duration attr, Duration negative) {
    return new MountOptions(fsName, subtype, readOnly, allowOther, entry, attr, negative, api);
  }

  public MountOptions withApi(FuseApi newApi) {
    return new MountOptions(fsName, subtype, readOnly, allowOther, entryTimeout, attrTimeout, negativeTimeout, newApi);
  }

  /** The arguments jnr-fuse passes on to libfuse 2's {@code fuse_main} (high-level API only). */
  public String[] toArguments() {
    List<String> o = new ArrayList<>();
    o.add("fsname=" + fsName);
    o.add("subtype=" + subtype);
    o.add("big_writes");
    o.add("max_read=" + MAX_IO_SIZE);
    o.add("max_write=" + MAX_IO_SIZE);
    // The kernel checks permission bits, so the filesystem need not implement access().
    o.add("default_permissions");
    // stat shows the filesystem's inode numbers, so tools that detect hard links see the truth.
    o.add("use_ino");
    o.add("entry_timeout=" + seconds(entryTimeout));
    o.add("attr_timeout=" + seconds(attrTimeout));
    o.add("negative_timeout=" + seconds(negativeTimeout));
    if (readOnly) {
      o.add("ro");
    }
    if (allowOther) {
      o.add("allow_other");
    }
    return new String[] {"-o", String.join(",", o)};
  }

  private static String seconds(Duration d) {
    return d.getNano() == 0 ? Long.toString(d.getSeconds()) : Double.toString(d.toNanos() / 1e9);
  }

  private static void requireOptionSafe(String value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isEmpty() || value.indexOf(',') >= 0 || value.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException(name + " '" + value + "' must be non-empty without commas or white space (it goes into -o)");
    }
  }

  private static void requireNonNegative(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative, got " + d);
    }
  }
}
