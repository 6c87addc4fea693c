package org.keepfs.gateway.collectiontree;

import java.io.IOException;
import java.util.Optional;
import org.keepfs.collection.CollectionStore;
import org.keepfs.gateway.tree.EncodedListing;
import org.keepfs.manifest.Manifest;
import org.keepfs.manifest.ManifestFormatException;
import org.keepfs.manifest.PortableDataHash;
import org.keepfs.posix.Errno;
import org.keepfs.posix.ErrnoException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parsed manifests by portable data hash, and the encoded directory listings made from them, each in
 * a cache bounded by bytes. Both are immutable for a given PDH, so nothing is ever invalidated, only
 * dropped when the bound is reached.
 */
public final class ManifestCache {
  private static final Logger LOG = LoggerFactory.getLogger(ManifestCache.class);

  /** Per entry bookkeeping, and the parsed tree next to its source text, relative to the text size. */
  private static final long OVERHEAD_BYTES = 256;
  private static final int PARSED_PER_TEXT_BYTE = 3;

  private final CollectionStore store;
  private final LruCache<PortableDataHash, Parsed> manifests;
  private final LruCache<ListingKey, EncodedListing> listings;

  private record ListingKey(PortableDataHash pdh, String path) {}

  private record Parsed(Manifest manifest, long weight) {}

  /**
   * @param store where manifests are read from
   * @param maxBytes the bound of each cache: parsed manifests, and encoded listings
   */
  public ManifestCache(CollectionStore store, long maxBytes) {
    this.store = store;
    this.manifests = new LruCache<>(maxBytes, Parsed::weight);
    this.listings = new LruCache<>(maxBytes, l -> OVERHEAD_BYTES + l.byteSize());
  }

  /**
   * The manifest stored under {@code pdh}, or empty when the store has none.
   *
   * @throws ErrnoException EIO when the store cannot be read or holds text that does not parse or does
   *     not hash to {@code pdh} (it is never served)
   */
  public Optional<Manifest> get(PortableDataHash pdh) throws ErrnoException {
    Parsed cached = manifests.get(pdh);
    if (cached != null) {
      return Optional.of(cached.manifest());
    }
    Optional<String> text;
    try {
      text = store.manifest(pdh);
    } catch (IOException e) {
      LOG.warn("cannot read manifest {}: {}", pdh, e.toString());
      throw new ErrnoException(Errno.EIO, "cannot read manifest " + pdh + ": " + e.getMessage(), e);
    }
    if (text.isEmpty()) {
      return Optional.empty();
    }
    Manifest parsed;
    try {
      parsed = Manifest.parse(text.get());
    } catch (ManifestFormatException e) {
      LOG.error("the manifest stored under {} does not parse: {}", pdh, e.getMessage());
      throw new ErrnoException(Errno.EIO, "the manifest stored under " + pdh + " does not parse", e);
    }
    PortableDataHash actual = parsed.portableDataHash();
    if (!actual.equals(pdh)) {
      LOG.error("the manifest stored under {} has portable data hash {}; not serving it", pdh, actual);
      throw new ErrnoException(Errno.EIO, "the manifest stored under " + pdh + " hashes to " + actual);
    }
    manifests.put(pdh, new Parsed(parsed, OVERHEAD_BYTES + PARSED_PER_TEXT_BYTE * pdh.size()));
    return Optional.of(parsed);
  }

  /** True when the manifest is in the cache now (no store access). */
  boolean holds(PortableDataHash pdh) {
    return manifests.get(pdh) != null;
  }

  EncodedListing listing(PortableDataHash pdh, String path) {
    return listings.get(new ListingKey(pdh, path));
  }

  void keepListing(PortableDataHash pdh, String path, EncodedListing listing) {
    listings.put(new ListingKey(pdh, path), listing);
  }
}
