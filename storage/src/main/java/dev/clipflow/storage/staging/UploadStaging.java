package dev.clipflow.storage.staging;

import dev.clipflow.storage.BlobInfo;

import java.io.InputStream;
import java.util.List;
import java.util.UUID;

/**
 * Where the chunks of an unfinished upload wait, built so that finishing costs the same for any
 * size: the local store writes every chunk at its offset into one file (finishing is a rename);
 * GCS keeps each chunk as an object and composes them server-side (finishing is a few compose
 * calls and a CRC32C comparison). Chunks may be written in any order and concurrently.
 */
public interface UploadStaging {

    /**
     * Streams exactly {@code length} bytes of {@code data} as chunk {@code index}, which starts at
     * byte {@code offset} of the file. Never writes outside its range.
     *
     * @throws ChunkLengthException when the stream holds fewer or more bytes than {@code length}
     *         (nothing of the chunk counts as stored then)
     */
    void writeChunk(UUID uploadId, int index, long offset, InputStream data, long length);

    /**
     * The same from the buffers the bytes arrived in; a staging that can (local) writes each buffer
     * as it is, without copying it into one of its own.
     *
     * @throws ChunkLengthException as above; a buffer that would go past {@code length} is not written
     */
    default void writeChunk(UUID uploadId, int index, long offset, ChunkBuffers data, long length) {
        writeChunk(uploadId, index, offset, data.asStream(), length);
    }

    /**
     * The same for bytes that will be read back soon (a chunk after a gap in the file, hashed when the gap
     * closes): a staging that can keeps them where reading them is cheap (local: in the page cache, not
     * with direct I/O).
     */
    default void writeChunk(UUID uploadId, int index, long offset, ChunkBuffers data, long length, boolean readBackSoon) {
        writeChunk(uploadId, index, offset, data, length);
    }

    /**
     * Reads back {@code length} bytes of a chunk that was written (e.g. to advance a running
     * digest of the file over chunks that arrived out of order).
     */
    InputStream openChunk(UUID uploadId, int index, long offset, long length);

    /** Forgets what was written for a chunk (e.g. after a checksum mismatch). */
    void discardChunk(UUID uploadId, int index);

    /**
     * Makes chunks {@code 0..chunkCount-1} (of {@code chunkSize} bytes each, the last one shorter)
     * the object {@code key}, verifying the result's size (and CRC32C on GCS), and drops the staged
     * data. Idempotent: when a previous call got as far as creating {@code key} (its caller died
     * before recording that) and the staged data is gone, it answers the existing object.
     */
    BlobInfo assemble(UUID uploadId, int chunkCount, long chunkSize, long totalSize, String key, String contentType);

    /** One finished upload whose staged data is a part of a concatenation (tus Upload-Concat). */
    record Part(UUID uploadId, int chunkCount, long size) {
    }

    /**
     * Makes the staged data of finished uploads, in order, the object {@code key} without the bytes
     * passing through this process (local: the parts' files become an object stored as parts, hard links
     * and a manifest renamed into place, no byte copied; GCS: a server-side compose of every part's
     * chunks), verifying the size (and CRC32C on GCS), and drops the parts' staged data. Idempotent like
     * {@link #assemble}.
     */
    default BlobInfo concatenate(List<Part> parts, long totalSize, String key, String contentType) {
        return concatenate(parts, totalSize, key, contentType, () -> {
        });
    }

    /**
     * {@link #concatenate(List, long, String, String)}, calling {@code beforeDroppingParts} once the object is
     * ready to be made and before the parts' staged data goes: whatever still reads the parts meanwhile (the whole-file SHA-256) finishes there; when it throws,
     * the parts stay and the call throws it.
     */
    BlobInfo concatenate(List<Part> parts, long totalSize, String key, String contentType, Runnable beforeDroppingParts);

    /** Deletes everything staged for the upload; harmless when nothing is. */
    void discard(UUID uploadId);

    /** Thrown when a chunk's stream has the wrong number of bytes. */
    class ChunkLengthException extends RuntimeException {
        private final long expected;
        private final long actual;

        public ChunkLengthException(long expected, long actual) {
            super("Expected " + expected + " bytes but the chunk " + (actual > expected ? "has more" : "has " + actual),
                    null, false, false);
            this.expected = expected;
            this.actual = actual;
        }

        public long expected() {
            return expected;
        }

        /** The bytes read; {@code expected + 1} means "more than expected". */
        public long actual() {
            return actual;
        }
    }

    /** Thrown when the assembled object does not match what was uploaded. */
    class AssemblyException extends RuntimeException {
        public AssemblyException(String message) {
            super(message, null, false, false);
        }
    }
}
