package org.keepfs.client.fs;

/** The in-memory test tree meets the same contract the client's real trees must meet. */
class MemoryFileSystemTest extends FileSystemContract {
  @Override
  protected FileSystem newFileSystem() {
    return new MemoryFileSystem();
  }
}
