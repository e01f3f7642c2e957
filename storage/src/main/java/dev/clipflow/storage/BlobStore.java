package dev.clipflow.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Collections;
import java.util.Optional;

/**
 * Where videos live: originals, renditions, playlists, segments, thumbnails. Keys are
 * slash-separated relative paths (see {@link BlobKeys}); no key starts with a slash or holds
 * {@code ..}. Every method streams: nothing holds a whole object in memory.
 */
public interface BlobStore {

    /** Stores {@code length} bytes read from {@code data} under {@code key}, replacing any object. */
    BlobInfo put(String key, InputStream data, long length, String contentType);

    /** Stores a local file under {@code key}, replacing any object. */
    BlobInfo putFile(String key, Path file, String contentType);

    /** The object's size and version, if it exists. */
    Optional<BlobInfo> stat(String key);

    /** Reads {@code length} bytes from {@code offset}; the caller closes the stream. */
    InputStream open(String key, long offset, long length);

    /** Copies the whole object to a local file (for FFmpeg), replacing the file. */
    void download(String key, Path target);

    /** Deletes one object; false when it did not exist. */
    boolean delete(String key);

    /** Deletes every object whose key starts with {@code prefix}; returns how many. */
    int deletePrefix(String prefix);

    /** Every object whose key starts with {@code prefix}, in key order. */
    List<BlobInfo> list(String prefix);

    /** A URL that reads the object directly from the store for {@code ttl}, where the store can sign one. */
    Optional<URI> signedUrl(String key, Duration ttl);

    /** Where the store keeps objects, for logs and health (e.g. {@code file:/data}, {@code gs://bucket/prefix}). */
    String location();

    /**
     * Throws when the store cannot be reached or used (readiness): by default a metadata read of a key
     * that need not exist, which fails on a network, permission or missing-bucket problem.
     */
    default void checkReachable() {
        stat("health/ready");
    }

    /**
     * Concatenates existing objects, in order, into {@code target} (replacing it); the sources stay.
     * GCS composes server-side; the default streams them through this process.
     */
    default BlobInfo compose(String target, List<String> sources, String contentType) {
        long total = 0;
        List<InputStream> streams = new java.util.ArrayList<>();
        for (String source : sources) {
            BlobInfo info = stat(source).orElseThrow(() -> new BlobNotFoundException(source));
            total += info.size();
            streams.add(open(source, 0, info.size()));
        }
        try (InputStream all = new SequenceInputStream(Collections.enumeration(streams))) {
            return put(target, all, total, contentType);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The object as a local file when the store keeps it in the local filesystem (no copy needed). */
    default Optional<Path> localFile(String key) {
        return Optional.empty();
    }

    /**
     * The local files that hold the object, in order, when the store keeps it in the local filesystem (one file,
     * or the parts of an object stored as parts); empty when it does not (or there is no such object).
     */
    default List<Path> localParts(String key) {
        return localFile(key).map(List::of).orElse(List.of());
    }
}
