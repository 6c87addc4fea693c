package org.keepfs.client.fuse;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.keepfs.client.fs.FileSystem;

/** The jnr-fuse (libfuse 2) front end: {@code fuse_main} of {@link FuseAdapter} on a thread of its own. */
final class HighLevelFrontEnd implements FrontEnd {
  private final FuseAdapter adapter;
  private final CompletableFuture<Integer> loop = new CompletableFuture<>();

  private HighLevelFrontEnd(FuseAdapter adapter) {
    this.adapter = adapter;
  }

  static HighLevelFrontEnd start(FileSystem fs, Path mountPoint, MountOptions options) throws IOException {
    FuseAdapter adapter;
    try {
      adapter = new FuseAdapter(fs);
    } catch (LinkageError | RuntimeException e) {
      throw new FuseUnavailableException("libfuse 2 could not be loaded (" + e
          + "): install it (Debian/Ubuntu: apt-get install libfuse2)", e);
    }
    HighLevelFrontEnd frontEnd = new HighLevelFrontEnd(adapter);
    String[] arguments = options.toArguments();
    Thread thread = new Thread(() -> {
      try {
        adapter.mount(mountPoint, true, false, arguments);
        frontEnd.loop.complete(0);
      } catch (Throwable t) {
        frontEnd.loop.completeExceptionally(t);
      }
    }, "fuse-loop " + mountPoint);
    thread.setDaemon(true);
    thread.start();
    return frontEnd;
  }

  @Override
  public CompletableFuture<Integer> loop() {
    return loop;
  }

  @Override
  public int openFileCount() {
    return adapter.openFileCount();
  }

  @Override
  public void markUnmounted() {
    adapter.markUnmounted();
  }

  @Override
  public void releaseLeftovers() throws IOException {
    adapter.releaseLeftovers();
  }
}
