package org.keepfs.store.s3;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.OptionalLong;
import org.keepfs.locator.Locator;
import org.keepfs.store.BlockNotFoundException;
import org.keepfs.store.BlockStore;
import org.keepfs.store.CorruptBlockException;
import org.keepfs.store.StoreUnavailableException;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Blocks as objects {@code <prefix><hash>} in one bucket.
 *
 * <p>Uploads send {@code Content-MD5}, so S3 refuses bytes that do not hash to the block, and the
 * object's ETag (the MD5 of a single-part upload) equals the hash. A range read is served only when
 * the response's ETag is the hash and its total length is the block size; whole blocks are hashed
 * again by {@link org.keepfs.store.StoreChain} as well.
 */
public final class S3BlockStore implements BlockStore {
  private final String id;
  private final S3Settings settings;
  private final S3Client client;

  public S3BlockStore(String id, S3Settings settings) {
    this.id = id;
    this.settings = settings;
    this.client = settings.newClient();
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public Integrity integrity() {
    return Integrity.CHECKED_RANGES;
  }

  private String key(String hash) {
    return settings.prefix() + hash;
  }

  @Override
  public OptionalLong sizeOf(String hash) throws IOException {
    try {
      HeadObjectResponse head = client.headObject(b -> b.bucket(settings.bucket()).key(key(hash)));
      return OptionalLong.of(head.contentLength());
    } catch (NoSuchKeyException e) {
      return OptionalLong.empty();
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return OptionalLong.empty();
      }
      throw unavailable("asking about " + hash, e);
    } catch (SdkException e) {
      throw unavailable("asking about " + hash, e);
    }
  }

  @Override
  public ByteBuffer read(Locator locator, long offset, int length) throws IOException {
    String range = "bytes=" + offset + "-" + (offset + length - 1);
    ResponseBytes<GetObjectResponse> bytes;
    try {
      bytes = client.getObjectAsBytes(b -> b.bucket(settings.bucket()).key(key(locator.hash())).range(range));
    } catch (NoSuchKeyException e) {
      throw new BlockNotFoundException(id + " does not hold " + locator.hashAndSize());
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        throw new BlockNotFoundException(id + " does not hold " + locator.hashAndSize());
      }
      throw unavailable("reading " + locator.hashAndSize(), e);
    } catch (SdkException e) {
      throw unavailable("reading " + locator.hashAndSize(), e);
    }
    GetObjectResponse response = bytes.response();
    String etag = response.eTag() == null ? "" : response.eTag().replace("\"", "");
    long total = totalLength(response);
    if (!etag.equals(locator.hash()) || total != locator.size()) {
      throw new CorruptBlockException(id + " holds object " + key(locator.hash()) + " with ETag " + etag
          + " and " + total + " bytes, not " + locator.hashAndSize());
    }
    ByteBuffer data = bytes.asByteBuffer();
    if (data.remaining() != length) {
      throw new CorruptBlockException(id + " returned " + data.remaining() + " bytes for " + range
          + " of " + locator.hashAndSize());
    }
    return data;
  }

  private static long totalLength(GetObjectResponse response) {
    String contentRange = response.contentRange();
    if (contentRange != null) {
      int slash = contentRange.lastIndexOf('/');
      if (slash >= 0 && !contentRange.endsWith("*")) {
        return Long.parseLong(contentRange.substring(slash + 1).trim());
      }
    }
    return response.contentLength();
  }

  @Override
  public int put(Locator locator, Path verifiedContent) throws IOException {
    OptionalLong existing = sizeOf(locator.hash());
    if (existing.isPresent() && existing.getAsLong() == locator.size()) {
      return 1;
    }
    String md5 = Base64.getEncoder().encodeToString(HexFormat.of().parseHex(locator.hash()));
    try {
      client.putObject(
          b -> b.bucket(settings.bucket()).key(key(locator.hash())).contentLength(locator.size()).contentMD5(md5),
          RequestBody.fromFile(verifiedContent));
      return 1;
    } catch (SdkException e) {
      throw unavailable("writing " + locator.hashAndSize(), e);
    }
  }

  private StoreUnavailableException unavailable(String what, Exception e) {
    return new StoreUnavailableException(id + " (S3 bucket " + settings.bucket() + ") failed " + what + ": "
        + e.getMessage(), e);
  }

  @Override
  public void close() {
    client.close();
  }

  @Override
  public String toString() {
    return "S3 bucket " + settings.bucket() + " (" + id + ")";
  }
}
