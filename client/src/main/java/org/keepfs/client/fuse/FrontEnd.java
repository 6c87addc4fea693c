package org.keepfs.client.fuse;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * A FUSE binding serving one mount, as {@link FuseMount} drives it: the mount is already made when
 * a front end exists, and {@link #loop} completes when its request loop ends (the mount was
 * removed). Unmounting itself is {@link FuseMount}'s job ({@link Unmounter}), the same for every
 * binding.
 */
public interface FrontEnd {
  /** Completes with the loop's return code once it stops serving requests. */
  CompletableFuture<Integer> loop();

  /** Open file handles right now. */
  int openFileCount();

  /** The mount is gone: exit-time clean-ups must not unmount the path again. */
  void markUnmounted();

  /** Releases handles the kernel never released; called after the loop ended. */
  void releaseLeftovers() throws IOException;
}
