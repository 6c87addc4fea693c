package org.keepfs.gateway.keep;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/**
 * The command-line options of the Keep block service and the collections API, to be mixed into the
 * {@code keepfs gateway} command with {@code @Mixin}. {@link KeepService#open} turns them into
 * stores and handlers.
 */
public final class KeepOptions {
  /** Where block stores are named in {@code --write-to}. */
  public enum StoreKind { LOCAL, S3, KEEP }

  /** Where collections live. */
  public enum CollectionStoreKind { LOCAL, S3 }

  @Option(names = "--data", paramLabel = "DIR",
      description = "Directory of the local block store, collections and read cache"
          + " (default: $XDG_DATA_HOME/keepfs, or ~/.local/share/keepfs).",
      defaultValue = "${sys:user.home}/.local/share/keepfs")
  public Path data;

  @Option(names = "--no-local-blocks", description = "Do not read or write blocks in --data (use S3 or Keep services only).")
  public boolean noLocalBlocks;

  @Option(names = "--s3-bucket", paramLabel = "BUCKET", description = "S3 bucket for blocks (and collections with --collection-store=s3).")
  public String s3Bucket;

  @Option(names = "--s3-endpoint", paramLabel = "URL", description = "S3 endpoint for S3-compatible servers (default: AWS).")
  public URI s3Endpoint;

  @Option(names = "--s3-region", paramLabel = "REGION", description = "S3 signing region (default: $AWS_REGION or ${DEFAULT-VALUE}).",
      defaultValue = "${env:AWS_REGION:-us-east-1}")
  public String s3Region;

  @Option(names = "--s3-block-prefix", paramLabel = "PREFIX", description = "Key prefix of block objects (default: none).", defaultValue = "")
  public String s3BlockPrefix;

  @Option(names = "--s3-collection-prefix", paramLabel = "PREFIX", description = "Key prefix of collection objects (default: ${DEFAULT-VALUE}).",
      defaultValue = "collections/")
  public String s3CollectionPrefix;

  @Option(names = "--s3-access-key", paramLabel = "KEY",
      description = "S3 access key id; without it the AWS default chain is used ($AWS_ACCESS_KEY_ID, profiles, roles).")
  public String s3AccessKey;

  @Option(names = "--s3-secret-key-file", paramLabel = "FILE", description = "File holding the S3 secret key for --s3-access-key.")
  public Path s3SecretKeyFile;

  @Option(names = "--keep-service", paramLabel = "UUID=URL",
      description = "A remote Keep service (keepstore, keepproxy or keepfs gateway /keep/ URL) to read blocks from; repeatable.")
  public List<String> keepServices = new ArrayList<>();

  @Option(names = "--keep-service-token-file", paramLabel = "FILE", description = "Token sent to the remote Keep services.")
  public Path keepServiceTokenFile;

  @Option(names = "--write-to", paramLabel = "STORE", split = ",",
      description = "Block stores uploads are written to: local, s3, keep (default: local, or s3 with --no-local-blocks).")
  public List<StoreKind> writeTo = new ArrayList<>();

  @Option(names = "--read-cache-size", paramLabel = "BYTES",
      description = "Bound of the local cache of blocks fetched from S3 or Keep services; 0 disables it (default: ${DEFAULT-VALUE}).",
      defaultValue = "8589934592")
  public long readCacheSize;

  @Option(names = "--collection-store", paramLabel = "KIND", description = "Where collections live: local or s3 (default: ${DEFAULT-VALUE}).",
      defaultValue = "local")
  public CollectionStoreKind collectionStore;

  @Option(names = "--write-token-file", paramLabel = "FILE",
      description = "Tokens (one per line) allowed to write blocks and collections; without it writes are refused.")
  public Path writeTokenFile;

  @Option(names = "--read-token-file", paramLabel = "FILE",
      description = "Tokens (one per line) allowed to read; without it reads are open.")
  public Path readTokenFile;

  @Option(names = "--blob-signing-key-file", paramLabel = "FILE",
      description = "Key for Keep permission signatures; with it block reads need a signed locator and manifests are served signed.")
  public Path blobSigningKeyFile;

  @Option(names = "--blob-signature-ttl", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Lifetime of permission signatures: seconds, or a number with s, m, h or d (default: ${DEFAULT-VALUE}).",
      defaultValue = "336h")
  public Duration blobSignatureTtl;

  /** Optional view of a nullable option. */
  static <T> Optional<T> given(T value) {
    return Optional.ofNullable(value);
  }

  /** Parses {@code 1209600}, {@code 336h}, {@code 14d}, {@code 30m} or {@code 45s}. */
  public static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      String v = value.trim();
      if (v.isEmpty()) {
        throw new IllegalArgumentException("a duration must not be empty");
      }
      char unit = v.charAt(v.length() - 1);
      String number = Character.isDigit(unit) ? v : v.substring(0, v.length() - 1);
      long n;
      try {
        n = Long.parseLong(number);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + value + "' is not a duration: use seconds or a number with s, m, h or d");
      }
      if (n <= 0) {
        throw new IllegalArgumentException("duration '" + value + "' must be positive");
      }
      return switch (unit) {
        case 's' -> Duration.ofSeconds(n);
        case 'm' -> Duration.ofMinutes(n);
        case 'h' -> Duration.ofHours(n);
        case 'd' -> Duration.ofDays(n);
        default -> {
          if (!Character.isDigit(unit)) {
            throw new IllegalArgumentException("duration '" + value + "' has unknown unit '" + unit + "': use s, m, h or d");
          }
          yield Duration.ofSeconds(n);
        }
      };
    }
  }
}
