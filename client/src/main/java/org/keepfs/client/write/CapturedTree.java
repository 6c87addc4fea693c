package org.keepfs.client.write;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.keepfs.client.write.block.BufferBlock;
import org.keepfs.client.write.block.StoredBlock;
import org.keepfs.locator.Locator;
import org.keepfs.manifest.Directory;
import org.keepfs.manifest.Segment;
import org.keepfs.manifest.TreeBuilder;

/**
 * The tree as it was at one moment: every reachable directory and file with its extents. Buffer
 * blocks may still be uploading; {@link #resolve} waits for them and gives the manifest tree.
 *
 * @param changeCount the collection's change counter when it was captured
 * @param files files in depth-first name order
 * @param directories every directory path (so empty ones survive), the root excluded
 */
public record CapturedTree(long changeCount, List<CapturedFile> files, List<String> directories) {

  /**
   * One file: its path, where its bytes are, and its inode and content version then (so a later merge
   * can tell whether the live file changed since).
   */
  public record CapturedFile(String path, List<Extent> extents, long inode, long version) {}

  /** Waits for every buffer block to be in Keep and builds the manifest tree; throws if an upload failed. */
  public Directory resolve() throws IOException {
    return build(block -> {
      try {
        return block.awaitUploaded();
      } catch (IOException e) {
        throw new UploadFailure(e);
      }
    });
  }

  /** The tree with buffer blocks named by {@code name} (for the spool's snapshot). */
  public Directory build(Function<BufferBlock, Locator> name) throws IOException {
    TreeBuilder b = new TreeBuilder();
    for (String d : directories) {
      b.addDirectory(d);
    }
    try {
      for (CapturedFile f : files) {
        List<Segment> segments = new ArrayList<>(f.extents().size());
        for (Extent x : f.extents()) {
          Locator loc = switch (x.block()) {
            case StoredBlock s -> s.locator();
            case BufferBlock bb -> name.apply(bb);
          };
          segments.add(new Segment(loc, x.offset(), x.length()));
        }
        b.appendToFile(f.path(), segments);
      }
    } catch (UploadFailure e) {
      throw e.io;
    }
    return b.build();
  }

  private static final class UploadFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient IOException io;

    UploadFailure(IOException io) {
      super(io);
      this.io = io;
    }
  }
}
