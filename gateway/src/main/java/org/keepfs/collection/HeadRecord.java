package org.keepfs.collection;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import org.keepfs.manifest.PortableDataHash;

/**
 * A head as stored: one small JSON object, {@code {"name", "portable_data_hash", "version",
 * "modified_at"}}. The same format in every store, so heads can be copied between them.
 */
public record HeadRecord(
    @JsonProperty("name") String name,
    @JsonProperty("portable_data_hash") String pdh,
    @JsonProperty("version") long version,
    @JsonProperty("modified_at") String modifiedAt) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public static HeadRecord of(CollectionHead head) {
    return new HeadRecord(head.name(), head.pdh().toString(), head.version(), head.modifiedAt().toString());
  }

  public CollectionHead toHead() {
    return new CollectionHead(name, PortableDataHash.parse(pdh), version, Instant.parse(modifiedAt));
  }

  public byte[] toJson() {
    try {
      return JSON.writeValueAsBytes(this);
    } catch (IOException e) {
      throw new IllegalStateException("a head record always serializes", e);
    }
  }

  public static CollectionHead parse(byte[] json, String where) throws IOException {
    try {
      return JSON.readValue(json, HeadRecord.class).toHead();
    } catch (IOException | RuntimeException e) {
      throw new IOException("the head stored at " + where + " is not a valid head record: " + e.getMessage(), e);
    }
  }
}
