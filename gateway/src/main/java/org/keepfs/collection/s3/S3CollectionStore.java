package org.keepfs.collection.s3;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.keepfs.collection.CollectionHead;
import org.keepfs.collection.CollectionName;
import org.keepfs.collection.CollectionStore;
import org.keepfs.collection.HeadMovedException;
import org.keepfs.collection.HeadRecord;
import org.keepfs.manifest.PortableDataHash;
import org.keepfs.store.StoreUnavailableException;
import org.keepfs.store.s3.S3Settings;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Collections as S3 objects; heads are moved only by conditional PUT. */
public final class S3CollectionStore implements CollectionStore {
  private final S3Settings settings;
  private final S3Client client;
  private final Clock clock;
  private final Runnable betweenReadAndWrite;

  public S3CollectionStore(S3Settings settings, Clock clock) {
    this(settings, clock, () -> {});
  }

  /**
   * @param betweenReadAndWrite runs after a swap has read the head and before its conditional write;
   *     tests use it to let another gateway move the head in exactly that window
   */
  S3CollectionStore(S3Settings settings, Clock clock, Runnable betweenReadAndWrite) {
    this.settings = settings;
    this.client = settings.newClient();
    this.clock = clock;
    this.betweenReadAndWrite = betweenReadAndWrite;
  }

  private String headKey(String name) {
    return settings.prefix() + "heads/" + URLEncoder.encode(CollectionName.check(name), StandardCharsets.UTF_8);
  }

  private String manifestKey(PortableDataHash pdh) {
    return settings.prefix() + "manifests/" + pdh;
  }

  /** A stored object and its ETag. */
  private record Stored(byte[] bytes, String etag) {}

  private Optional<Stored> get(String key) throws IOException {
    try {
      ResponseBytes<GetObjectResponse> r = client.getObjectAsBytes(b -> b.bucket(settings.bucket()).key(key));
      return Optional.of(new Stored(r.asByteArray(), r.response().eTag()));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw unavailable("reading " + key, e);
    } catch (SdkException e) {
      throw unavailable("reading " + key, e);
    }
  }

  @Override
  public Optional<CollectionHead> head(String name) throws IOException {
    String key = headKey(name);
    Optional<Stored> stored = get(key);
    if (stored.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(HeadRecord.parse(stored.get().bytes(), "s3://" + settings.bucket() + "/" + key));
  }

  @Override
  public List<CollectionHead> heads() throws IOException {
    String prefix = settings.prefix() + "heads/";
    List<String> keys = new ArrayList<>();
    try {
      for (S3Object o : client.listObjectsV2Paginator(b -> b.bucket(settings.bucket()).prefix(prefix)).contents()) {
        keys.add(o.key());
      }
    } catch (SdkException e) {
      throw unavailable("listing " + prefix, e);
    }
    List<CollectionHead> out = new ArrayList<>(keys.size());
    for (String key : keys) {
      Optional<Stored> stored = get(key);
      if (stored.isPresent()) {
        out.add(HeadRecord.parse(stored.get().bytes(), "s3://" + settings.bucket() + "/" + key));
      }
    }
    return out;
  }

  @Override
  public Optional<String> manifest(PortableDataHash pdh) throws IOException {
    return get(manifestKey(pdh)).map(s -> new String(s.bytes(), StandardCharsets.UTF_8));
  }

  @Override
  public PortableDataHash putManifest(String text) throws IOException {
    PortableDataHash pdh = PortableDataHash.ofText(text);
    try {
      client.putObject(b -> b.bucket(settings.bucket()).key(manifestKey(pdh)).contentType("text/plain; charset=utf-8"),
          RequestBody.fromString(text, StandardCharsets.UTF_8));
      return pdh;
    } catch (SdkException e) {
      throw unavailable("writing manifest " + pdh, e);
    }
  }

  @Override
  public CollectionHead swapHead(String name, Optional<PortableDataHash> expected, PortableDataHash next)
      throws IOException, HeadMovedException {
    String key = headKey(name);
    Optional<Stored> stored = get(key);
    Optional<CollectionHead> current = stored.isEmpty() ? Optional.empty()
        : Optional.of(HeadRecord.parse(stored.get().bytes(), key));
    Optional<PortableDataHash> currentPdh = current.map(CollectionHead::pdh);
    if (!Objects.equals(currentPdh, expected)) {
      throw new HeadMovedException(name, expected, currentPdh);
    }
    CollectionHead updated = new CollectionHead(name, next, current.map(h -> h.version() + 1).orElse(1L), clock.instant());
    betweenReadAndWrite.run();
    byte[] record = HeadRecord.of(updated).toJson();
    try {
      client.putObject(b -> {
        b.bucket(settings.bucket()).key(key).contentType("application/json");
        if (stored.isEmpty()) {
          b.ifNoneMatch("*");
        } else {
          b.ifMatch(stored.get().etag());
        }
      }, RequestBody.fromBytes(record));
      return updated;
    } catch (S3Exception e) {
      if (e.statusCode() == 412 || e.statusCode() == 409) {
        // Either another gateway moved the head between our read and our write, or the SDK retried
        // a PUT that had already succeeded (a timeout under load) and the retry's precondition saw
        // our own write. Only the stored bytes can tell the two apart.
        Optional<Stored> now = get(key);
        if (now.isPresent() && Arrays.equals(now.get().bytes(), record)) {
          return updated;
        }
        throw new HeadMovedException(name, expected,
            now.isEmpty() ? Optional.empty() : Optional.of(HeadRecord.parse(now.get().bytes(), key).pdh()));
      }
      throw unavailable("updating head of '" + name + "'", e);
    } catch (SdkException e) {
      throw unavailable("updating head of '" + name + "'", e);
    }
  }

  private StoreUnavailableException unavailable(String what, Exception e) {
    return new StoreUnavailableException("S3 bucket " + settings.bucket() + " failed " + what + ": " + e.getMessage(), e);
  }

  @Override
  public void close() {
    client.close();
  }
}
