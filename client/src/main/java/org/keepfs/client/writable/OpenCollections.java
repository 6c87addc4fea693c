package org.keepfs.client.writable;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.keepfs.client.collection.BlockFetcher;
import org.keepfs.collection.CollectionName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collections a full read-write mount has opened for writing, each a {@link WritableMount} with its
 * own writer, spool (and spool lock), {@code .arv/} and idle timer. A collection is opened the first
 * time the mount is asked for it and stays open until the mount ends; each gets a slot number, never
 * reused, which the mount's inode numbers are built from.
 */
public final class OpenCollections {
  private static final Logger LOG = LoggerFactory.getLogger(OpenCollections.class);

  /** One open collection and its slot (counting from 1). */
  public record Opened(int slot, String name, WritableMount mount) {}

  private final Function<String, WritableMount.Settings> settingsFor;
  private final Optional<BlockFetcher> blocks;
  private final Map<String, Opened> byName = new ConcurrentHashMap<>();
  private final Map<Integer, Opened> bySlot = new ConcurrentHashMap<>();
  private int lastSlot;

  /**
   * @param settingsFor the settings of the mount of one collection (its spool is one directory per
   *     collection, see {@link SpoolDirectory})
   * @param blocks the mount's block cache, through which stored blocks are read
   */
  public OpenCollections(Function<String, WritableMount.Settings> settingsFor, Optional<BlockFetcher> blocks) {
    this.settingsFor = settingsFor;
    this.blocks = blocks;
  }

  /** The collection when it is open. */
  public Optional<Opened> get(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** The collection in {@code slot}, or empty when no collection has it. */
  public Optional<Opened> inSlot(int slot) {
    return Optional.ofNullable(bySlot.get(slot));
  }

  /**
   * The collection, opened now when it is not yet (recovering what its spool holds from an earlier
   * run; a collection that does not exist is created by its first commit). Fails with
   * {@link SpoolLock.InUseException} when another process uses its spool.
   */
  public synchronized Opened open(String name) throws IOException {
    Opened o = byName.get(name);
    if (o != null) {
      return o;
    }
    CollectionName.check(name);
    WritableMount.Settings settings = settingsFor.apply(name);
    WritableMount mount = WritableMount.open(settings, blocks);
    Opened opened = new Opened(++lastSlot, name, mount);
    bySlot.put(opened.slot(), opened);
    byName.put(name, opened);
    LOG.info("collection '{}' open for writing (spool {})", name, settings.writer().spoolDir());
    return opened;
  }

  /** The open collections in the order they were opened. */
  public List<Opened> all() {
    List<Opened> out = new ArrayList<>(bySlot.values());
    out.sort((a, b) -> Integer.compare(a.slot(), b.slot()));
    return out;
  }

  /**
   * Opens every collection of {@code gateway} whose spool under {@code spoolBase} holds a snapshot an
   * earlier run left (a killed mount), so that it is recovered and committed with the others. A spool
   * that turns out to hold nothing new is closed again. Returns the names recovered; a spool that
   * cannot be opened is reported and skipped (it stays for {@code keepfs recover}).
   */
  public synchronized List<String> recoverSpools(Path spoolBase, URI gateway) {
    List<String> recovered = new ArrayList<>();
    if (!Files.isDirectory(spoolBase)) {
      return recovered;
    }
    List<Path> dirs;
    try (Stream<Path> s = Files.list(spoolBase)) {
      dirs = s.filter(Files::isDirectory).sorted().toList();
    } catch (IOException e) {
      LOG.warn("cannot list the spools in {}: {}", spoolBase, e.toString());
      return recovered;
    }
    for (Path dir : dirs) {
      if (!Files.exists(dir.resolve("snapshot"))) {
        continue;
      }
      Optional<SpoolLock.Owner> owner;
      try {
        owner = SpoolLock.readOwner(dir);
      } catch (IOException e) {
        LOG.warn("spool {} left by an earlier run has an unreadable owner file, skipped (keepfs recover {}): {}", dir, dir,
            e.getMessage());
        continue;
      }
      if (owner.isEmpty() || !owner.get().gateway().equals(gateway)
          || !dir.getFileName().toString().equals(SpoolDirectory.key(gateway, owner.get().collection()))) {
        continue;
      }
      String name = owner.get().collection();
      try {
        Opened o = open(name);
        if (o.mount().writer().dirty()) {
          recovered.add(name);
        } else {
          close(o);
        }
      } catch (IOException | RuntimeException e) {
        LOG.error("collection '{}': cannot recover the spool {} an earlier run left: {}; it stays there for"
            + " keepfs recover {}", name, dir, e.getMessage(), dir);
      }
    }
    return recovered;
  }

  private void close(Opened o) {
    byName.remove(o.name());
    bySlot.remove(o.slot());
    try {
      o.mount().close();
    } catch (IOException e) {
      LOG.warn("closing collection '{}': {}", o.name(), e.toString());
    }
  }
}
