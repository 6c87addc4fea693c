package org.keepfs.gateway.collections;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The JSON body of {@code PUT /collections/<name>}: {@code {"manifest_text": "..."}}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CollectionUpdate(@JsonProperty("manifest_text") String manifestText) {}
