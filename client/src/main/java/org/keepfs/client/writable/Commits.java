package org.keepfs.client.writable;

import java.io.IOException;
import java.util.Optional;
import org.keepfs.client.write.commit.CollectionWriter;
import org.keepfs.manifest.PortableDataHash;

/** What the control files and commit triggers ask of the writer behind a writable mount. */
public interface Commits {
  /** True when there are changes no commit has carried yet. */
  boolean dirty();

  /** The PDH of the last commit (or of the head the mount started from); empty before a new collection's first commit. */
  Optional<PortableDataHash> lastPdh();

  /** Commits and returns when done; throws when the commit failed (nothing is dropped). */
  void commit() throws IOException;

  /** The commits of {@code writer}. */
  static Commits of(CollectionWriter writer) {
    return new Commits() {
      @Override
      public boolean dirty() {
        return writer.dirty();
      }

      @Override
      public Optional<PortableDataHash> lastPdh() {
        return writer.lastPdh();
      }

      @Override
      public void commit() throws IOException {
        writer.commit();
      }
    };
  }
}
