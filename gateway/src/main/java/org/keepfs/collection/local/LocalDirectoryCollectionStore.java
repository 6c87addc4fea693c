package org.keepfs.collection.local;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.keepfs.collection.CollectionHead;
import org.keepfs.collection.CollectionName;
import org.keepfs.collection.CollectionStore;
import org.keepfs.collection.HeadMovedException;
import org.keepfs.collection.HeadRecord;
import org.keepfs.manifest.PortableDataHash;

/**
 * Collections under a directory: {@code manifests/<pdh>} (written once, temp file then rename) and
 * {@code heads/<sha256 hex of the name>.json}. A head is swapped by compare-then-rename while holding
 * both a lock in this JVM and an exclusive lock on {@code heads/.lock}, so swaps from several threads
 * or processes are serialized and exactly one of two racing swaps from the same head wins.
 */
public final class LocalDirectoryCollectionStore implements CollectionStore {
  private final Path manifests;
  private final Path heads;
  private final Path tmp;
  private final Path lockFile;
  private final Clock clock;
  private final ReentrantLock jvmLock = new ReentrantLock();

  public LocalDirectoryCollectionStore(Path root, Clock clock) throws IOException {
    this.manifests = root.resolve("manifests");
    this.heads = root.resolve("heads");
    this.tmp = root.resolve("tmp");
    this.lockFile = heads.resolve(".lock");
    this.clock = clock;
    Files.createDirectories(manifests);
    Files.createDirectories(heads);
    Files.createDirectories(tmp);
  }

  private Path headPath(String name) {
    return heads.resolve(sha256(CollectionName.check(name)) + ".json");
  }

  @Override
  public Optional<CollectionHead> head(String name) throws IOException {
    Path path = headPath(name);
    try {
      return Optional.of(HeadRecord.parse(Files.readAllBytes(path), path.toString()));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  @Override
  public List<CollectionHead> heads() throws IOException {
    List<CollectionHead> out = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(heads, "*.json")) {
      for (Path file : files) {
        try {
          out.add(HeadRecord.parse(Files.readAllBytes(file), file.toString()));
        } catch (NoSuchFileException e) {
          // Replaced by a rename between listing and reading: the new file is listed or not, both fine.
        }
      }
    }
    return out;
  }

  @Override
  public Optional<String> manifest(PortableDataHash pdh) throws IOException {
    try {
      return Optional.of(Files.readString(manifests.resolve(pdh.toString()), StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  @Override
  public PortableDataHash putManifest(String text) throws IOException {
    PortableDataHash pdh = PortableDataHash.ofText(text);
    Path target = manifests.resolve(pdh.toString());
    if (!Files.exists(target)) {
      writeAtomically(target, text.getBytes(StandardCharsets.UTF_8));
    }
    return pdh;
  }

  @Override
  public CollectionHead swapHead(String name, Optional<PortableDataHash> expected, PortableDataHash next)
      throws IOException, HeadMovedException {
    Path path = headPath(name);
    jvmLock.lock();
    try (FileChannel lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = lockChannel.lock()) {
      Optional<CollectionHead> current = head(name);
      Optional<PortableDataHash> currentPdh = current.map(CollectionHead::pdh);
      if (!Objects.equals(currentPdh, expected)) {
        throw new HeadMovedException(name, expected, currentPdh);
      }
      CollectionHead updated = new CollectionHead(name, next, current.map(h -> h.version() + 1).orElse(1L), clock.instant());
      writeAtomically(path, HeadRecord.of(updated).toJson());
      return updated;
    } finally {
      jvmLock.unlock();
    }
  }

  private void writeAtomically(Path target, byte[] content) throws IOException {
    Path temp = Files.createTempFile(tmp, target.getFileName().toString(), ".new");
    try {
      try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer data = ByteBuffer.wrap(content);
        while (data.hasRemaining()) {
          out.write(data);
        }
        out.force(true);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static String sha256(String name) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this Java runtime has no SHA-256", e);
    }
  }
}
