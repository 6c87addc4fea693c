package org.keepfs.gateway.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.keepfs.fs123.CacheControl;
import org.keepfs.gateway.collectiontree.ByIdTree;
import org.keepfs.gateway.collectiontree.ManifestCache;
import org.keepfs.gateway.collectiontree.NamedCollectionsTree;
import org.keepfs.gateway.collectiontree.SegmentReader;
import org.keepfs.gateway.export.ExportSettings;
import org.keepfs.gateway.export.PosixExportTree;
import org.keepfs.gateway.keep.KeepService;
import org.keepfs.gateway.tree.CompositeTree;
import org.keepfs.gateway.tree.Fs123Tree;
import org.keepfs.posix.ErrnoException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fs123 tree the options describe: with {@code --export-root}, that one directory; otherwise a
 * {@link CompositeTree} whose top-level names are the exports, then {@code by_id} and {@code
 * collections} when the Keep side serves them.
 */
final class TreeAssembly {
  private static final Logger LOG = LoggerFactory.getLogger(TreeAssembly.class);

  /** The names the collection trees take at the fs123 root. */
  static final String BY_ID = "by_id";
  static final String COLLECTIONS = "collections";

  private final ExportOptions exports;
  private final CollectionTreeOptions collectionTrees;
  private final List<AutoCloseable> resources;
  private boolean collectionTreesServed;

  /**
   * @param resources receives what the tree opens (the exports' root descriptors), for the caller to close
   */
  TreeAssembly(ExportOptions exports, CollectionTreeOptions collectionTrees, List<AutoCloseable> resources) {
    this.exports = exports;
    this.collectionTrees = collectionTrees;
    this.resources = resources;
  }

  /**
   * @param keepService the Keep side, or null when it does not run
   * @throws IllegalArgumentException for options that do not fit together, naming them
   */
  Fs123Tree build(KeepService keepService) throws ErrnoException {
    ExportSettings settings = exports.settings();
    List<ExportOptions.Export> named = exports.parsedExports();
    if (exports.exportRoot != null && !named.isEmpty()) {
      throw new IllegalArgumentException("use either --export-root DIR or --export NAME=DIR, not both");
    }
    if (exports.exportRoot != null) {
      if (keepService != null) {
        LOG.info("--export-root makes one directory the whole fs123 tree, so collections are not served over fs123"
            + " (use --export NAME=DIR to serve them beside it)");
      }
      return open("the export root", exports.exportRoot, settings);
    }
    Map<String, Fs123Tree> children = new LinkedHashMap<>();
    for (ExportOptions.Export e : named) {
      children.put(e.name(), open(e.name(), e.directory(), settings));
    }
    if (keepService != null) {
      addCollectionTrees(children, keepService);
    }
    Instant now = Instant.now();
    return new CompositeTree(children, settings.defaultCacheControl(), now.getEpochSecond() * 1_000_000_000L + now.getNano());
  }

  /** True once {@link #build} added {@code by_id} and {@code collections}. */
  boolean collectionTreesServed() {
    return collectionTreesServed;
  }

  /**
   * Adds {@code by_id} and {@code collections}. fs123 requests carry no token, so when reads need one
   * (or a permission signature) collections are only served through the token-checked HTTP API.
   */
  private void addCollectionTrees(Map<String, Fs123Tree> children, KeepService keepService) {
    for (String taken : List.of(BY_ID, COLLECTIONS)) {
      if (children.containsKey(taken)) {
        throw new IllegalArgumentException("--export " + taken + "=...: the name " + taken
            + " is where the gateway serves collections; export the directory under another name");
      }
    }
    if (keepService.access().readTokens().isPresent() || keepService.access().signer().isPresent()) {
      LOG.info("reads need a token or a permission signature (--read-token-file, --blob-signing-key-file), which fs123"
          + " requests cannot carry: collections are served through /collections/ and /keep/ only, not over fs123");
      return;
    }
    ManifestCache manifests = new ManifestCache(keepService.collections(), collectionTrees.manifestCacheBytes());
    SegmentReader reader = new SegmentReader(keepService.blocks());
    CacheControl named = collectionTrees.collectionCacheControl();
    children.put(BY_ID, new ByIdTree(manifests, reader, named));
    children.put(COLLECTIONS, new NamedCollectionsTree(keepService.collections(), manifests, reader, named,
        CollectionTreeOptions.NAMES_TTL));
    collectionTreesServed = true;
  }

  private PosixExportTree open(String name, Path dir, ExportSettings settings) throws ErrnoException {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("export " + name + ": " + dir + " is not a directory");
    }
    PosixExportTree t = new PosixExportTree(name, dir, settings);
    resources.add(t);
    return t;
  }
}
