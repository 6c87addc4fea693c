package org.keepfs.client.fuse;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Which libfuse API serves a mount. */
public enum FuseApi {
  /** libfuse 2's path-based API through jnr-fuse ({@link FuseAdapter}). */
  HIGH_LEVEL("highlevel"),
  /**
   * libfuse 3's inode-based API through the JDK's foreign-function interface
   * ({@code org.keepfs.client.fuse.lowlevel}): per-reply cache lifetimes, readdirplus, 1 MiB requests.
   */
  LOW_LEVEL("lowlevel");

  /** The command-line name of the API mounts use unless told otherwise ({@link MountOptions#DEFAULT_API}). */
  public static final String DEFAULT_NAME = "lowlevel";

  private final String optionName;

  FuseApi(String optionName) {
    this.optionName = optionName;
  }

  /** The name used on the command line. */
  public String optionName() {
    return optionName;
  }

  /** The API called {@code name} on the command line; the error lists the valid names. */
  public static FuseApi parse(String name) {
    for (FuseApi api : values()) {
      if (api.optionName.equals(name.trim().toLowerCase(Locale.ROOT))) {
        return api;
      }
    }
    throw new IllegalArgumentException("unknown FUSE API '" + name + "': use one of "
        + Arrays.stream(values()).map(FuseApi::optionName).collect(Collectors.joining(", ")));
  }

  @Override
  public String toString() {
    return optionName;
  }
}
