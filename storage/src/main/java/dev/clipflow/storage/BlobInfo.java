package dev.clipflow.storage;

import java.time.Instant;

/**
 * What the store knows of an object.
 *
 * @param etag a strong validator that changes whenever the content changes
 */
public record BlobInfo(String key, long size, String contentType, Instant updated, String etag) {
}
