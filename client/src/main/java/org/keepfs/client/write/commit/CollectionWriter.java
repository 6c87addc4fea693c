package org.keepfs.client.write.commit;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.keepfs.client.write.WritableCollection;
import org.keepfs.client.write.WriterContext;
import org.keepfs.client.write.block.BlockReader;
import org.keepfs.client.write.block.BlockRef;
import org.keepfs.client.write.block.BufferAllocator;
import org.keepfs.client.write.block.BufferBlock;
import org.keepfs.client.write.block.MemoryBudget;
import org.keepfs.client.write.block.SpoolBytes;
import org.keepfs.client.write.block.StoredBlock;
import org.keepfs.client.write.block.UploadPipeline;
import org.keepfs.client.write.http.CollectionApiClient;
import org.keepfs.client.write.http.GatewayHttp;
import org.keepfs.client.write.http.HttpBlockStore;
import org.keepfs.client.write.spool.Spool;
import org.keepfs.locator.Locator;
import org.keepfs.manifest.Directory;
import org.keepfs.manifest.Manifest;
import org.keepfs.manifest.PortableDataHash;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A named collection open for writing through a gateway: the tree programs change, its uploads, its
 * spool and its commits. What the control files show comes from here: {@link #dirty()}, {@link
 * #lastPdh()}, {@link #commit()} (returns when the commit is done or failed) and {@link #commitIfIdle}.
 *
 * <pre>{@code
 * try (CollectionWriter w = CollectionWriter.open(WriterSettings.of(gateway, token, "results", spool))) {
 *   try (FileHandle f = w.tree().open("out.txt", flags, true)) { f.write(bytes, 0); }
 *   w.commit();
 * }
 * }</pre>
 */
public final class CollectionWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CollectionWriter.class);

  private final WriterSettings settings;
  private final GatewayHttp http;
  private final Spool spool;
  private final UploadPipeline pipeline;
  private final WritableCollection tree;
  private final Committer committer;
  private final MemoryBudget memory;

  private CollectionWriter(WriterSettings settings, GatewayHttp http, Spool spool, UploadPipeline pipeline,
      WritableCollection tree, Committer committer, MemoryBudget memory) {
    this.memory = memory;
    this.settings = settings;
    this.http = http;
    this.spool = spool;
    this.pipeline = pipeline;
    this.tree = tree;
    this.committer = committer;
    tree.durability(t -> spool.snapshot(t, settings.collection(), committer.lastPdh()));
  }

  /**
   * Opens the collection: its current head, or an empty tree when it does not exist yet (the first
   * commit creates it). When the spool holds a snapshot an earlier run left, that is recovered instead
   * (see {@link #recover}).
   */
  public static CollectionWriter open(WriterSettings settings) throws IOException {
    return open(settings, Optional.empty());
  }

  /**
   * Like {@link #open(WriterSettings)}, reading the parts of files that are already in Keep through
   * {@code reader} (a mount passes its block cache) instead of a ranged GET each time.
   */
  public static CollectionWriter open(WriterSettings settings, Optional<BlockReader> reader) throws IOException {
    Spool spool = new Spool(settings.spoolDir());
    if (spool.hasSnapshot()) {
      return recover(settings, reader);
    }
    GatewayHttp http = new GatewayHttp(settings.gateway(), settings.token(), settings.retry());
    try {
      CollectionApiClient api = new CollectionApiClient(http);
      Optional<CollectionApiClient.Head> head = api.head(settings.collection());
      Directory base = head.map(h -> Manifest.parse(h.manifestText()).root()).orElse(Directory.EMPTY);
      Parts p = parts(settings, http, spool, reader);
      WritableCollection tree = WritableCollection.of(base, p.ctx);
      Committer committer = new Committer(settings.collection(), tree, p.pipeline, api, settings.clock(), base,
          head.map(CollectionApiClient.Head::pdh));
      return new CollectionWriter(settings, http, spool, p.pipeline, tree, committer, p.allocator.budget());
    } catch (IOException | RuntimeException e) {
      http.close();
      throw e;
    }
  }

  /**
   * Rebuilds the tree a killed writer had made durable (fsync) in {@code settings.spoolDir()}: blocks
   * it had uploaded come from Keep, the others from the spool files. The next {@link #commit} uploads
   * and commits them from the base the snapshot names, merging if the head moved since.
   */
  public static CollectionWriter recover(WriterSettings settings) throws IOException {
    return recover(settings, Optional.empty());
  }

  /** {@link #recover(WriterSettings)} with stored blocks read through {@code reader} when given. */
  public static CollectionWriter recover(WriterSettings settings, Optional<BlockReader> reader) throws IOException {
    Spool spool = new Spool(settings.spoolDir());
    Spool.Recovered r = spool.read();
    if (!r.name().equals(settings.collection())) {
      throw new IOException("spool " + settings.spoolDir() + " holds writes for collection '" + r.name()
          + "', not '" + settings.collection() + "'");
    }
    GatewayHttp http = new GatewayHttp(settings.gateway(), settings.token(), settings.retry());
    try {
      CollectionApiClient api = new CollectionApiClient(http);
      Directory base = r.base().isPresent() ? Manifest.parse(api.manifest(r.base().get())).root() : Directory.EMPTY;
      Parts p = parts(settings, http, spool, reader);
      Map<Long, BufferBlock> recovered = new java.util.HashMap<>();
      java.util.function.Function<Locator, BlockRef> blocks = loc -> {
        Optional<Long> id = Spool.spoolId(loc);
        if (id.isEmpty()) {
          return new StoredBlock(loc);
        }
        Locator uploaded = r.uploaded().get(id.get());
        if (uploaded != null) {
          return new StoredBlock(uploaded);
        }
        return recovered.computeIfAbsent(id.get(), i -> {
          try {
            BufferBlock b = p.allocator.recovered(i, SpoolBytes.reopen(spool.bufferFile(i), loc.size()));
            p.pipeline.adopt(b);
            return b;
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
      };
      WritableCollection tree;
      try {
        tree = WritableCollection.of(r.tree(), p.ctx, blocks);
      } catch (java.io.UncheckedIOException e) {
        throw e.getCause();
      }
      LOG.warn("recovered collection '{}' from spool {}: {} spooled blocks to upload, base {}", r.name(),
          settings.spoolDir(), recovered.size(), r.base().map(Object::toString).orElse("(new collection)"));
      Committer committer = new Committer(settings.collection(), tree, p.pipeline, api, settings.clock(), base, r.base());
      committer.markDirty();
      return new CollectionWriter(settings, http, spool, p.pipeline, tree, committer, p.allocator.budget());
    } catch (IOException | RuntimeException e) {
      http.close();
      throw e;
    }
  }

  private record Parts(BufferAllocator allocator, UploadPipeline pipeline, WriterContext ctx) {}

  private static Parts parts(WriterSettings s, GatewayHttp http, Spool spool, Optional<BlockReader> reader)
      throws IOException {
    HttpBlockStore blocks = new HttpBlockStore(http);
    BufferAllocator allocator = new BufferAllocator(new MemoryBudget(s.memoryLimit()), s.spoolDir(), spool.maxBufferId() + 1);
    UploadPipeline pipeline = new UploadPipeline(blocks, s.uploadThreads(), s.uploadsInFlight(), spool::uploaded);
    return new Parts(allocator, pipeline, new WriterContext(allocator, pipeline, reader.orElse(blocks), s.clock()));
  }

  /** How this writer was opened (its spool directory, collection name, gateway). */
  public WriterSettings settings() {
    return settings;
  }

  /** The tree to read and change. */
  public WritableCollection tree() {
    return tree;
  }

  /** True when there are changes no commit has carried yet. */
  public boolean dirty() {
    return committer.dirty();
  }

  /** The PDH of the last commit (or of the head the tree was loaded from); empty before the first commit of a new collection. */
  public Optional<PortableDataHash> lastPdh() {
    return committer.lastPdh();
  }

  /**
   * Commits and returns when it is done; throws when it failed (the data stays in memory and the
   * spool, and the next commit tries again). Afterwards the spool holds a snapshot only if the tree
   * changed meanwhile.
   */
  public Committer.Result commit() throws IOException {
    Committer.Result result;
    try {
      result = committer.commit();
    } catch (IOException e) {
      LOG.error("COMMIT FAILED for collection '{}': {}. Nothing is lost: the data stays buffered and in spool {}; "
          + "the next commit tries again.", settings.collection(), e.getMessage(), settings.spoolDir());
      spool.snapshot(tree, settings.collection(), committer.lastPdh());
      throw e;
    }
    if (committer.dirty()) {
      spool.snapshot(tree, settings.collection(), committer.lastPdh());
    } else {
      Files.deleteIfExists(spool.dir().resolve("snapshot"));
    }
    return result;
  }

  /** Commits when the tree is dirty and has not changed for {@code idle} (by the settings' clock). */
  public Optional<Committer.Result> commitIfIdle(Duration idle) throws IOException {
    if (!dirty() || settings.clock().instant().isBefore(tree.lastChange().plus(idle))) {
      return Optional.empty();
    }
    return Optional.of(commit());
  }

  /** The memory budget of the write buffers (its limit, use now and peak). */
  public MemoryBudget memory() {
    return memory;
  }

  /** Blocks whose upload failed and wait in the spool for the next commit. */
  public int failedUploads() {
    return pipeline.failedCount();
  }

  /** Stops the uploads (after those queued), closes the connection pool and frees the buffer memory; does not commit. */
  @Override
  public void close() throws IOException {
    pipeline.close();
    try {
      http.close();
    } finally {
      memory.close();
    }
  }
}
