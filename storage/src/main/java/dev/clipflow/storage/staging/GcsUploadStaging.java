package dev.clipflow.storage.staging;

import com.google.cloud.storage.Blob;
import dev.clipflow.storage.BlobInfo;
import dev.clipflow.storage.gcs.Crc32c;
import dev.clipflow.storage.gcs.GcsBlobStore;

import java.io.IOException;
import java.io.InputStream;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Staging on GCS: each chunk is an object {@code staging/{uploadId}/{index}}; assembling composes
 * them server-side (in a tree of at most 32 sources per call), checks the result's CRC32C against
 * the parts' checksums combined, and deletes the parts.
 */
public class GcsUploadStaging implements UploadStaging {

    private final GcsBlobStore store;

    public GcsUploadStaging(GcsBlobStore store) {
        this.store = store;
    }

    public static String partKey(UUID uploadId, int index) {
        return "staging/" + uploadId + "/" + String.format("%08d", index);
    }

    @Override
    public void writeChunk(UUID uploadId, int index, long offset, InputStream data, long length) {
        String key = partKey(uploadId, index);
        CountingStream counting = new CountingStream(data, length + 1);
        try {
            store.put(key, counting, -1, "application/octet-stream");
        } catch (RuntimeException e) {
            store.delete(key);
            throw e;
        }
        if (counting.count != length) {
            store.delete(key);
            throw new ChunkLengthException(length, counting.count);
        }
    }

    @Override
    public InputStream openChunk(UUID uploadId, int index, long offset, long length) {
        return store.open(partKey(uploadId, index), 0, length);
    }

    @Override
    public void discardChunk(UUID uploadId, int index) {
        store.delete(partKey(uploadId, index));
    }

    @Override
    public BlobInfo assemble(UUID uploadId, int chunkCount, long chunkSize, long totalSize, String key,
            String contentType) {
        if (chunkCount > 0 && store.blob(partKey(uploadId, 0)).isEmpty()) {
            var done = store.stat(key);
            if (done.isPresent() && done.get().size() == totalSize) {
                return done.get(); // composed by an earlier attempt, which also deleted the parts
            }
        }
        List<String> parts = new ArrayList<>(chunkCount);
        for (int i = 0; i < chunkCount; i++) {
            parts.add(partKey(uploadId, i));
        }
        compose(parts, totalSize, key, contentType);
        discard(uploadId);
        return store.stat(key).orElseThrow();
    }

    @Override
    public BlobInfo concatenate(List<Part> parts, long totalSize, String key, String contentType,
            Runnable beforeDroppingParts) {
        if (store.blob(partKey(parts.get(0).uploadId(), 0)).isEmpty()) {
            var done = store.stat(key);
            if (done.isPresent() && done.get().size() == totalSize) {
                parts.forEach(part -> discard(part.uploadId())); // composed by an earlier attempt
                return done.get();
            }
        }
        List<String> keys = new ArrayList<>();
        for (Part part : parts) {
            for (int i = 0; i < part.chunkCount(); i++) {
                keys.add(partKey(part.uploadId(), i));
            }
        }
        compose(keys, totalSize, key, contentType);
        beforeDroppingParts.run();
        parts.forEach(part -> discard(part.uploadId()));
        return store.stat(key).orElseThrow();
    }

    /** Composes the chunk objects {@code parts} into {@code key} and checks size and CRC32C. */
    private void compose(List<String> parts, long totalSize, String key, String contentType) {
        Integer expectedCrc = null;
        long size = 0;
        for (String part : parts) {
            Blob blob = store.blob(part).orElseThrow(() -> new AssemblyException("Chunk " + part + " is missing"));
            long partSize = blob.getSize() == null ? 0 : blob.getSize();
            if (blob.getCrc32c() != null) {
                int crc = Crc32c.fromBase64(blob.getCrc32c());
                expectedCrc = expectedCrc == null ? crc : Crc32c.combine(expectedCrc, crc, partSize);
            }
            size += partSize;
        }
        if (size != totalSize) {
            throw new AssemblyException("Chunks hold " + size + " bytes, expected " + totalSize);
        }
        if (parts.isEmpty()) {
            store.put(key, InputStream.nullInputStream(), 0, contentType);
            return;
        }
        store.compose(key, parts, contentType);
        Blob composed = store.blob(key).orElseThrow(() -> new AssemblyException("Composed object is missing"));
        long composedSize = composed.getSize() == null ? -1 : composed.getSize();
        if (composedSize != totalSize || (expectedCrc != null && (composed.getCrc32c() == null
                || Crc32c.fromBase64(composed.getCrc32c()) != expectedCrc))) {
            store.delete(key);
            throw new AssemblyException("Composed object does not match its parts (size " + composedSize + ")");
        }
    }

    @Override
    public void discard(UUID uploadId) {
        store.deletePrefix("staging/" + uploadId + "/");
    }

    /** Counts bytes and stops one byte past the expected length (so oversize is detectable, not stored). */
    private static final class CountingStream extends InputStream {
        private final InputStream in;
        private final long limit;
        private long count;

        CountingStream(InputStream in, long limit) {
            this.in = in;
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            if (count >= limit) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (count >= limit) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, limit - count));
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }

}
