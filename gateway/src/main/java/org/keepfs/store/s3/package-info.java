/**
 * Blocks as S3 objects named by hash (behind an optional prefix), through the AWS SDK v2. Also the
 * S3 client settings shared with the S3 collection store.
 */
package org.keepfs.store.s3;
