/**
 * Keep collections served as fs123 trees, beside the POSIX exports under one root: {@link
 * org.keepfs.gateway.collectiontree.ByIdTree} ({@code /by_id/<pdh>/...}, immutable) and {@link
 * org.keepfs.gateway.collectiontree.NamedCollectionsTree} ({@code /collections/<name>/...}, the current
 * head). Metadata comes from parsed manifests kept in a bounded {@link
 * org.keepfs.gateway.collectiontree.ManifestCache}; file bytes are read segment by segment from the
 * block stores by {@link org.keepfs.gateway.collectiontree.SegmentReader}, as byte ranges of blocks.
 */
package org.keepfs.gateway.collectiontree;
