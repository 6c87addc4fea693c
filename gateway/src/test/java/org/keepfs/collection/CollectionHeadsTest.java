package org.keepfs.collection;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.keepfs.collection.local.LocalDirectoryCollectionStore;
import org.keepfs.collection.s3.S3CollectionStore;
import org.keepfs.manifest.PortableDataHash;
import org.keepfs.store.s3.S3Settings;
import software.amazon.awssdk.services.s3.S3Client;

/** {@link CollectionStore#heads}: every name with its current head, in both stores. */
class CollectionHeadsTest {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T12:00:00Z"), ZoneOffset.UTC);
  static final List<String> NAMES = List.of("plain", "with space", "naïve:文件", "a+b%20c");

  @RegisterExtension
  static final S3ProxyExtension S3 = S3ProxyExtension.builder()
      .withCredentials("access", "secret").withBlobStoreProvider("transient").build();

  @TempDir Path dir;

  /** Creates every name, updates one twice, and checks the listing. */
  static void listsEveryNameWithItsCurrentHead(CollectionStore store) throws Exception {
    assertEquals(List.of(), store.heads());
    PortableDataHash empty = store.putManifest("");
    PortableDataHash foo = store.putManifest(". acbd18db4cc2f85cedef654fccc4a4d8+3 0:3:foo\n");
    for (String name : NAMES) {
      store.swapHead(name, Optional.empty(), empty);
    }
    store.swapHead("plain", Optional.of(empty), foo);
    store.swapHead("plain", Optional.of(foo), empty);
    List<CollectionHead> heads = store.heads().stream().sorted(Comparator.comparing(CollectionHead::name)).toList();
    assertEquals(NAMES.stream().sorted().toList(), heads.stream().map(CollectionHead::name).toList());
    for (CollectionHead h : heads) {
      assertEquals(store.head(h.name()), Optional.of(h));
      assertEquals(h.name().equals("plain") ? 3 : 1, h.version(), h.name());
    }
  }

  @Test
  void localDirectoryStore() throws Exception {
    try (LocalDirectoryCollectionStore store = new LocalDirectoryCollectionStore(dir, CLOCK)) {
      listsEveryNameWithItsCurrentHead(store);
    }
  }

  @Test
  void s3Store() throws Exception {
    URI endpoint = S3.getUri();
    S3Settings settings = new S3Settings(Optional.of(endpoint), "us-east-1", "heads-test", "p/", Optional.of("access"),
        Optional.of("secret"));
    try (S3Client client = settings.newClient()) {
      client.createBucket(b -> b.bucket("heads-test"));
    }
    try (S3CollectionStore store = new S3CollectionStore(settings, CLOCK)) {
      listsEveryNameWithItsCurrentHead(store);
    }
  }
}
