package org.keepfs.client.mount;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import org.keepfs.client.cache.BlockCache;
import org.keepfs.client.cache.CacheOptions;
import org.keepfs.client.cache.FreshnessPolicy;
import org.keepfs.client.cache.ReplyCache;
import org.keepfs.client.collection.BlockFetcher;
import org.keepfs.client.collection.CollectionSource;
import org.keepfs.client.collection.CollectionTree;
import org.keepfs.client.fs.FileSystem;
import org.keepfs.client.http.GatewayClient;
import org.keepfs.client.remote.CachedReplies;
import org.keepfs.client.remote.Fs123Remote;
import org.keepfs.client.remote.RemoteTree;
import org.keepfs.posix.ErrnoException;

/**
 * The parts of one mount's client, built from a {@link ClientConfig} and closed together: HTTP client,
 * block and reply caches under {@code cacheDir/blocks} and {@code cacheDir/replies}, the fs123 tree,
 * the collection trees and the {@link GatewayFileSystem} over them.
 */
public final class ClientSetup implements AutoCloseable {
  private final ClientConfig config;
  private final GatewayClient http;
  private final CachedReplies replies;
  private final RemoteTree remote;
  private final BlockFetcher blocks;
  private final GatewayFileSystem fileSystem;

  private ClientSetup(ClientConfig config) throws IOException {
    this.config = config;
    Clock clock = Clock.systemUTC();
    this.http = new GatewayClient(config.http());
    ReplyCache replyCache = ReplyCache.open(CacheOptions.of(config.cacheDir().resolve("replies"), config.replyCacheBytes()));
    // Blocks are forced to disk before the rename so a power loss costs refetches, not start-up scans of torn files.
    BlockCache blockCache = BlockCache.open(
        CacheOptions.of(config.cacheDir().resolve("blocks"), config.blockCacheBytes()).withFsync(true));
    FreshnessPolicy policy = new FreshnessPolicy(clock, Duration.ZERO, config.staleIfError(), config.disconnected());
    this.replies = new CachedReplies(http, replyCache, policy, clock);
    this.remote = new RemoteTree(new Fs123Remote(replies, ""));
    this.blocks = new BlockFetcher(http, blockCache);
    this.fileSystem = new GatewayFileSystem(remote, new CollectionSource(replies, config.headMaxAge()),
        new CollectionTree(blocks), this::renderStats, config.subdir());
  }

  public static ClientSetup open(ClientConfig config) throws IOException {
    return new ClientSetup(config);
  }

  public GatewayFileSystem fileSystem() {
    return fileSystem;
  }

  /** The block fetcher over the mount's block cache (a writable mount reads stored blocks through it). */
  public BlockFetcher blocks() {
    return blocks;
  }

  /**
   * Asks for the mount root's attributes, so that a mount fails at once, with the reason, when the
   * gateway cannot be reached and nothing usable is cached.
   */
  public void checkRoot() throws IOException {
    try {
      fileSystem.getattr(FileSystem.ROOT_INODE);
    } catch (ErrnoException e) {
      throw new IOException("cannot read the root of " + describe() + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new IOException("cannot reach the gateway " + describe() + ": " + e.getMessage()
          + (config.disconnected() ? "" : " (is it running? check the URL, or mount with --disconnected to use only the cache)"), e);
    }
  }

  private String describe() {
    return config.http().baseUrls() + (config.subdir().isEmpty() ? "" : " (subdir " + config.subdir() + ")");
  }

  /** The text of {@code .keepfs/stats}: one {@code name value} line per counter. */
  public String renderStats() {
    return "mount.gateway " + config.http().primary() + "\nmount.disconnected " + (config.disconnected() ? 1 : 0)
        + "\nmount.inodes " + (fileSystem == null ? 0 : fileSystem.inodeCount()) + "\n"
        + http.renderStats() + replies.renderStats() + remote.renderStats() + blocks.renderStats();
  }

  public long requestCount() {
    return http.requestCount();
  }

  @Override
  public void close() throws IOException {
    blocks.close();
    remote.close();
    replies.close();
    http.close();
  }
}
