/**
 * Keep manifests: the parser ({@link org.keepfs.manifest.Manifest#parse}), an immutable, compact tree of
 * directories, files and segments ({@link org.keepfs.manifest.Directory}, {@link org.keepfs.manifest.File},
 * {@link org.keepfs.manifest.Segment}), a builder for new trees ({@link org.keepfs.manifest.TreeBuilder}), the
 * normalized writer, and the portable data hash ({@link org.keepfs.manifest.PortableDataHash}). No I/O.
 *
 * <p>Names are compared and sorted by the bytes of their UTF-8 encoding, as the reference SDKs sort them.
 */
package org.keepfs.manifest;
