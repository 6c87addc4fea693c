package org.keepfs.store.s3;

import java.net.URI;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Where an S3 bucket is and how to sign requests to it.
 *
 * @param endpoint the S3 endpoint; empty for AWS itself
 * @param region the signing region
 * @param bucket the bucket name
 * @param prefix prepended to every object key ("" for none)
 * @param accessKey with {@code secretKey}, static credentials; empty to use the SDK's default chain
 *     (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, profiles, instance roles)
 * @param secretKey the secret for {@code accessKey}
 */
public record S3Settings(
    Optional<URI> endpoint, String region, String bucket, String prefix, Optional<String> accessKey, Optional<String> secretKey) {
  public S3Settings {
    if (bucket == null || bucket.isBlank()) {
      throw new IllegalArgumentException("an S3 store needs a bucket name");
    }
    if (accessKey.isPresent() != secretKey.isPresent()) {
      throw new IllegalArgumentException("give both an S3 access key and a secret key, or neither");
    }
    prefix = prefix == null ? "" : prefix;
  }

  /** A client for these settings. Path-style addressing, so any S3-compatible server works. */
  public S3Client newClient() {
    AwsCredentialsProvider credentials = accessKey.isPresent()
        ? StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey.get(), secretKey.get()))
        : DefaultCredentialsProvider.builder().build();
    var builder = S3Client.builder()
        .region(Region.of(region))
        .credentialsProvider(credentials)
        .forcePathStyle(true)
        // Integrity is checked with Content-MD5 and the block hash; the newer flexible checksums
        // are not understood by every S3-compatible server.
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .httpClientBuilder(UrlConnectionHttpClient.builder());
    endpoint.ifPresent(builder::endpointOverride);
    return builder.build();
  }
}
