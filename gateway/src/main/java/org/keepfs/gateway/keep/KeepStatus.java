package org.keepfs.gateway.keep;

import org.keepfs.store.BlockNotFoundException;
import org.keepfs.store.CorruptBlockException;
import org.keepfs.store.RejectedBlockException;
import org.keepfs.store.StoreFullException;
import org.keepfs.store.StoreUnavailableException;

/** The one mapping from block store and upload failures to keepstore's HTTP statuses. */
public final class KeepStatus {
  /** keepstore's status for "all volumes are full". */
  public static final int INSUFFICIENT_STORAGE = 507;

  private KeepStatus() {}

  public static int of(Throwable e) {
    return switch (e) {
      case AccessDeniedException x -> x.status();
      case BlockPath.BadPathException x -> 400;
      case RejectedBlockException x -> switch (x.reason()) {
        case TOO_LARGE -> 413;
        case HASH_MISMATCH, LENGTH_MISMATCH -> 400;
      };
      case BlockNotFoundException x -> 404;
      case CorruptBlockException x -> 502;
      case StoreUnavailableException x -> 503;
      case StoreFullException x -> INSUFFICIENT_STORAGE;
      default -> 500;
    };
  }
}
