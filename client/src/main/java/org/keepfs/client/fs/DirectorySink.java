package org.keepfs.client.fs;

/** Receives a directory listing one entry at a time; returning false stops the listing (the buffer is full). */
@FunctionalInterface
public interface DirectorySink {
  boolean accept(DirEntry entry);
}
