package org.keepfs.client.write.commit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.keepfs.client.write.CapturedTree;
import org.keepfs.client.write.WritableCollection;
import org.keepfs.client.write.block.UploadPipeline;
import org.keepfs.client.write.http.CollectionApiClient;
import org.keepfs.client.write.merge.ThreeWayMerge;
import org.keepfs.manifest.Directory;
import org.keepfs.manifest.Manifest;
import org.keepfs.manifest.PortableDataHash;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits a {@link WritableCollection} to a named collection: queue what is buffered (small files packed),
 * wait for every upload, write the normalized manifest, and swap the head from the base this tree
 * started from. When the head moved, merge with it ({@link ThreeWayMerge}), bring the merge into the
 * live tree and swap again from the new head. One commit runs at a time.
 */
public final class Committer {
  private static final Logger LOG = LoggerFactory.getLogger(Committer.class);
  /** Swaps tried before giving up on a head that keeps moving. */
  static final int MAX_SWAPS = 16;

  /** What a commit did. */
  public record Result(PortableDataHash pdh, boolean changed, List<String> conflicts) {}

  private final String name;
  private final WritableCollection tree;
  private final UploadPipeline pipeline;
  private final CollectionApiClient api;
  private final Clock clock;
  private Directory base;
  private Optional<PortableDataHash> basePdh;
  private long committedChanges;

  /**
   * @param base the tree the collection was loaded from ({@link Directory#EMPTY} for a new one)
   * @param basePdh its head, or empty when the collection does not exist yet
   */
  public Committer(String name, WritableCollection tree, UploadPipeline pipeline, CollectionApiClient api, Clock clock,
      Directory base, Optional<PortableDataHash> basePdh) {
    this.name = name;
    this.tree = tree;
    this.pipeline = pipeline;
    this.api = api;
    this.clock = clock;
    this.base = base;
    this.basePdh = basePdh;
    this.committedChanges = tree.changeCount();
  }

  /** Makes the next commit run even without new changes (a recovered tree has changes no counter saw). */
  public synchronized void markDirty() {
    committedChanges = -1;
  }

  /** True when the tree changed since the last commit (or since it was loaded). */
  public synchronized boolean dirty() {
    return tree.changeCount() != committedChanges || basePdh.isEmpty();
  }

  /** The head of the last commit (or the head the tree was loaded from). */
  public synchronized Optional<PortableDataHash> lastPdh() {
    return basePdh;
  }

  /** Runs a commit to the end; throws when it could not (the data stays buffered and spooled). */
  public synchronized Result commit() throws IOException {
    pipeline.retryFailed();
    CapturedTree captured = tree.capture(true);
    Directory ours = captured.resolve();
    List<String> conflicts = new ArrayList<>();
    Directory theirsBase = base;
    Optional<PortableDataHash> expected = basePdh;
    for (int attempt = 1; attempt <= MAX_SWAPS; attempt++) {
      String text = new String(Manifest.of(ours).text(), StandardCharsets.UTF_8);
      PortableDataHash pdh = PortableDataHash.ofText(text);
      if (expected.isPresent() && expected.get().equals(pdh) && captured.changeCount() == committedChanges) {
        return new Result(pdh, false, conflicts);
      }
      try {
        CollectionApiClient.Head head = api.swap(name, expected, text);
        return committed(captured, head.pdh(), ours, conflicts);
      } catch (CollectionApiClient.HeadMovedException moved) {
        Optional<CollectionApiClient.Head> current = api.head(name);
        if (current.isPresent() && current.get().pdh().equals(pdh)) {
          return committed(captured, pdh, ours, conflicts); // an earlier attempt of ours landed
        }
        Directory theirs = current.isPresent() ? Manifest.parse(current.get().manifestText()).root() : Directory.EMPTY;
        ThreeWayMerge.Result merged = ThreeWayMerge.merge(theirsBase, ours, theirs, clock.instant());
        LOG.info("collection '{}' moved to {} while committing; merged{}", name,
            current.map(h -> h.pdh().toString()).orElse("(deleted)"),
            merged.conflicts().isEmpty() ? "" : ", theirs saved as " + merged.conflicts());
        conflicts.addAll(merged.conflicts());
        tree.absorb(captured, ours, merged.tree());
        ours = merged.tree();
        theirsBase = theirs;
        expected = current.map(CollectionApiClient.Head::pdh);
      }
    }
    throw new IOException("collection '" + name + "' kept moving: gave up after " + MAX_SWAPS
        + " merges; the data is uploaded and the next commit will try again");
  }

  private Result committed(CapturedTree captured, PortableDataHash pdh, Directory ours, List<String> conflicts) {
    base = ours;
    basePdh = Optional.of(pdh);
    committedChanges = captured.changeCount();
    return new Result(pdh, true, conflicts);
  }
}
