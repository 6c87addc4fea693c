package org.keepfs.gateway.keep;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.eclipse.jetty.server.Handler;
import org.keepfs.collection.CollectionStore;
import org.keepfs.collection.local.LocalDirectoryCollectionStore;
import org.keepfs.collection.s3.S3CollectionStore;
import org.keepfs.gateway.collections.CollectionApiHandler;
import org.keepfs.gateway.collections.ManifestByIdHandler;
import org.keepfs.signature.BlobSigner;
import org.keepfs.store.BlockStore;
import org.keepfs.store.StoreChain;
import org.keepfs.store.local.BlockCache;
import org.keepfs.store.local.LocalDirectoryBlockStore;
import org.keepfs.store.remote.KeepServiceEndpoint;
import org.keepfs.store.remote.RemoteKeepStore;
import org.keepfs.store.s3.S3BlockStore;
import org.keepfs.store.s3.S3Settings;

/**
 * The Keep block service and collections API built from {@link KeepOptions}: the stores, the access
 * rules and the Jetty handlers with the path prefixes to mount them at. Each handler checks the full
 * request path itself, so they may be mounted at their prefixes or simply offered every request in
 * turn. Closing it closes the stores.
 */
public final class KeepService implements AutoCloseable {
  /**
   * A handler and the path prefix it answers, without a trailing slash ({@code /keep}). The handler
   * reads the full request URI, so it works mounted in a context at the prefix or offered every
   * request, and answers {@code false} for paths that are not its own.
   */
  public record Route(String prefix, Handler handler) {}

  private final StoreChain blocks;
  private final CollectionStore collections;
  private final KeepAccess access;
  private final List<Route> routes;

  public KeepService(StoreChain blocks, CollectionStore collections, KeepAccess access, KeepMetrics metrics) {
    this.blocks = blocks;
    this.collections = collections;
    this.access = access;
    blocks.observe(metrics);
    this.routes = List.of(
        new Route(mountPoint(BlockPath.PREFIX), new KeepBlockHandler(blocks, access)),
        new Route(mountPoint(CollectionApiHandler.PREFIX), new CollectionApiHandler(collections, blocks, access)),
        new Route(mountPoint(ManifestByIdHandler.PREFIX), new ManifestByIdHandler(collections, blocks, access)));
  }

  /** {@code /keep/} -> {@code /keep}: the form a server's mount takes. */
  private static String mountPoint(String prefix) {
    return prefix.substring(0, prefix.length() - 1);
  }

  /**
   * Builds everything the options describe.
   *
   * @throws IllegalArgumentException for options that do not fit together, naming them
   * @throws IOException when a file the options name cannot be read or a directory created
   */
  public static KeepService open(KeepOptions options, Clock clock) throws IOException {
    return open(options, clock, new SimpleMeterRegistry());
  }

  /** As {@link #open(KeepOptions, Clock)}, with meters in the gateway's shared registry. */
  public static KeepService open(KeepOptions options, Clock clock, MeterRegistry registry) throws IOException {
    KeepAccess access = new KeepAccess(
        KeepOptions.given(options.readTokenFile).map(f -> readTokens(f, "--read-token-file")),
        KeepOptions.given(options.writeTokenFile).map(f -> readTokens(f, "--write-token-file")).orElse(Set.of()),
        KeepOptions.given(options.blobSigningKeyFile).map(f -> new BlobSigner(
            readSecret(f, "--blob-signing-key-file"), options.blobSignatureTtl, clock)));

    List<BlockStore> readStores = new ArrayList<>();
    List<BlockStore> writeStores = new ArrayList<>();
    Optional<LocalDirectoryBlockStore> local = Optional.empty();
    if (!options.noLocalBlocks) {
      local = Optional.of(new LocalDirectoryBlockStore("local", options.data));
      readStores.add(local.get());
    }
    Optional<S3Settings> s3 = Optional.empty();
    if (options.s3Bucket != null) {
      s3 = Optional.of(new S3Settings(KeepOptions.given(options.s3Endpoint), options.s3Region, options.s3Bucket,
          options.s3BlockPrefix, KeepOptions.given(options.s3AccessKey),
          KeepOptions.given(options.s3SecretKeyFile).map(f -> readSecret(f, "--s3-secret-key-file"))));
      readStores.add(new S3BlockStore("s3", s3.get()));
    }
    if (!options.keepServices.isEmpty()) {
      Optional<String> token = KeepOptions.given(options.keepServiceTokenFile).map(f -> readSecret(f, "--keep-service-token-file"));
      List<KeepServiceEndpoint> endpoints = new ArrayList<>();
      for (String spec : options.keepServices) {
        try {
          endpoints.add(KeepServiceEndpoint.parse(spec, token));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("--keep-service " + spec + ": " + e.getMessage(), e);
        }
      }
      readStores.add(new RemoteKeepStore("keep", endpoints, RemoteKeepStore.Retry.standard()));
    }
    if (readStores.isEmpty()) {
      throw new IllegalArgumentException("--no-local-blocks needs --s3-bucket or --keep-service to read blocks from");
    }
    List<KeepOptions.StoreKind> writeTo = options.writeTo.isEmpty()
        ? List.of(local.isPresent() ? KeepOptions.StoreKind.LOCAL : readStores.get(0) instanceof S3BlockStore
            ? KeepOptions.StoreKind.S3 : KeepOptions.StoreKind.KEEP)
        : options.writeTo;
    for (KeepOptions.StoreKind kind : new LinkedHashSet<>(writeTo)) {
      String id = kind.name().toLowerCase(java.util.Locale.ROOT);
      BlockStore store = readStores.stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow(() ->
          new IllegalArgumentException("--write-to " + id + " names a store that is not configured"));
      writeStores.add(store);
    }
    Optional<BlockCache> cache = Optional.empty();
    boolean hasRemote = readStores.stream().anyMatch(s -> s.integrity() != BlockStore.Integrity.LOCAL);
    if (hasRemote && options.readCacheSize > 0) {
      cache = Optional.of(new BlockCache(options.data.resolve("cache"), options.readCacheSize));
    }
    Path spool = local.map(LocalDirectoryBlockStore::tmpDir).orElse(options.data.resolve("spool"));
    StoreChain chain = new StoreChain(readStores, writeStores, cache, spool);

    CollectionStore collections = switch (options.collectionStore) {
      case LOCAL -> new LocalDirectoryCollectionStore(options.data.resolve("collections"), clock);
      case S3 -> {
        S3Settings blockSettings = s3.orElseThrow(() ->
            new IllegalArgumentException("--collection-store=s3 needs --s3-bucket"));
        yield new S3CollectionStore(new S3Settings(blockSettings.endpoint(), blockSettings.region(),
            blockSettings.bucket(), options.s3CollectionPrefix, blockSettings.accessKey(), blockSettings.secretKey()), clock);
      }
    };
    return new KeepService(chain, collections, access, new KeepMetrics(registry));
  }

  /** Tokens, one per line; blank lines and lines starting with {@code #} are skipped. */
  static Set<String> readTokens(Path file, String option) {
    Set<String> tokens = new LinkedHashSet<>();
    for (String line : readLines(file, option)) {
      String t = line.trim();
      if (!t.isEmpty() && !t.startsWith("#")) {
        tokens.add(t);
      }
    }
    if (tokens.isEmpty()) {
      throw new IllegalArgumentException(option + " " + file + " holds no token (one per line)");
    }
    return tokens;
  }

  /** A secret file's content without surrounding white space. */
  static String readSecret(Path file, String option) {
    String secret = String.join("\n", readLines(file, option)).trim();
    if (secret.isEmpty()) {
      throw new IllegalArgumentException(option + " " + file + " is empty");
    }
    return secret;
  }

  private static List<String> readLines(Path file, String option) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(option + " " + file + " does not exist");
    } catch (IOException e) {
      throw new IllegalArgumentException(option + " " + file + " cannot be read: " + e.getMessage(), e);
    }
  }

  /** The handlers and their prefixes: {@code /keep}, {@code /collections}, {@code /by_id}. */
  public List<Route> routes() {
    return routes;
  }

  public StoreChain blocks() {
    return blocks;
  }

  public CollectionStore collections() {
    return collections;
  }

  public KeepAccess access() {
    return access;
  }

  @Override
  public void close() throws IOException {
    try {
      blocks.close();
    } finally {
      collections.close();
    }
  }
}
