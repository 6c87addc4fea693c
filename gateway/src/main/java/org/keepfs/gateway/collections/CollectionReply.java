package org.keepfs.gateway.collections;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The JSON body of {@code GET /collections/<name>} and of a successful PUT.
 *
 * @param name the collection's name
 * @param pdh the portable data hash of its manifest
 * @param manifestText the manifest, with signed locators when signing is on
 * @param modifiedAt when the head last moved (ISO-8601, UTC)
 * @param version 1 when created, one more on each update
 */
public record CollectionReply(
    @JsonProperty("name") String name,
    @JsonProperty("portable_data_hash") String pdh,
    @JsonProperty("manifest_text") String manifestText,
    @JsonProperty("modified_at") String modifiedAt,
    @JsonProperty("version") long version) {}
