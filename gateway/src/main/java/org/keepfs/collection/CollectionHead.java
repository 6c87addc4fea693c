package org.keepfs.collection;

import java.time.Instant;
import org.keepfs.manifest.PortableDataHash;

/**
 * Where a named collection points now.
 *
 * @param name the collection's name
 * @param pdh the portable data hash of its current manifest
 * @param version 1 when created, one more on each update
 * @param modifiedAt when the head last moved
 */
public record CollectionHead(String name, PortableDataHash pdh, long version, Instant modifiedAt) {}
