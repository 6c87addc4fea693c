/**
 * Collections in an S3 bucket: {@code <prefix>manifests/<pdh>} and {@code <prefix>heads/<name>},
 * heads moved with conditional PUT ({@code If-Match} on the ETag read, {@code If-None-Match: *} to
 * create), so any number of gateways on one bucket share one truth.
 */
package org.keepfs.collection.s3;
