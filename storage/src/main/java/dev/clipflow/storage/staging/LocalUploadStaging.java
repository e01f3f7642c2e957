package dev.clipflow.storage.staging;

import dev.clipflow.storage.BlobInfo;
import dev.clipflow.storage.local.BoundedInputStream;
import dev.clipflow.storage.local.LocalBlobStore;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.UUID;

/**
 * Staging on the local store: one sparse file per upload under {@code <root>/.staging/}, each chunk
 * written at its offset with positional writes ({@link FileChannel#write(ByteBuffer, long)}) and
 * flushed before it is acknowledged; assembling checks the size and renames the file into place.
 */
public class LocalUploadStaging implements UploadStaging {

    private static final int BUFFER = 1024 * 1024;

    private final LocalBlobStore store;
    private final Path dir;
    private final boolean syncEachChunk;

    public LocalUploadStaging(LocalBlobStore store) {
        this(store, true);
    }

    /** @param syncEachChunk flush every chunk to disk before it counts as received */
    public LocalUploadStaging(LocalBlobStore store, boolean syncEachChunk) {
        this.store = store;
        this.syncEachChunk = syncEachChunk;
        this.dir = store.root().resolve(".staging");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The file holding an upload's chunks (names end in {@code .partial}, which listings skip). */
    public Path file(UUID uploadId) {
        return dir.resolve(uploadId + ".partial");
    }

    @Override
    public void writeChunk(UUID uploadId, int index, long offset, InputStream data, long length) {
        try (FileChannel channel = FileChannel.open(file(uploadId), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
            byte[] array = buffer.array();
            long written = 0;
            while (written < length) {
                // fill the buffer before writing: a request body arrives in network-sized pieces
                int want = (int) Math.min(array.length, length - written);
                int n = 0;
                int read;
                while (n < want && (read = data.read(array, n, want - n)) >= 0) {
                    n += read;
                }
                if (n < want) {
                    throw new ChunkLengthException(length, written + n);
                }
                buffer.clear().limit(n);
                long position = offset + written;
                while (buffer.hasRemaining()) {
                    position += channel.write(buffer, position);
                }
                written += n;
            }
            if (data.read() >= 0) {
                throw new ChunkLengthException(length, length + 1);
            }
            if (syncEachChunk) {
                channel.force(false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes each buffer positionally as it comes (a heap buffer goes through the JDK's per-thread
     * direct buffer, a direct one straight to the kernel), then one fdatasync.
     */
    @Override
    public void writeChunk(UUID uploadId, int index, long offset, ChunkBuffers data, long length) {
        try (FileChannel channel = FileChannel.open(file(uploadId), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            long written = 0;
            ByteBuffer buffer;
            while ((buffer = data.next()) != null) {
                int n = buffer.remaining();
                if (written + n > length) {
                    throw new ChunkLengthException(length, length + 1);
                }
                long position = offset + written;
                while (buffer.hasRemaining()) {
                    position += channel.write(buffer, position);
                }
                written += n;
            }
            if (written < length) {
                throw new ChunkLengthException(length, written);
            }
            if (syncEachChunk) {
                channel.force(false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public InputStream openChunk(UUID uploadId, int index, long offset, long length) {
        try {
            FileChannel channel = FileChannel.open(file(uploadId), StandardOpenOption.READ);
            return new BoundedInputStream(Channels.newInputStream(channel.position(offset)), length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void discardChunk(UUID uploadId, int index) {
        // the range is simply not marked as received; the next write of the chunk overwrites it
    }

    @Override
    public BlobInfo assemble(UUID uploadId, int chunkCount, long chunkSize, long totalSize, String key,
            String contentType) {
        Path staged = file(uploadId);
        Path target = store.file(key);
        try {
            if (!Files.exists(staged)) {
                var done = store.stat(key);
                if (done.isPresent() && done.get().size() == totalSize) {
                    return done.get(); // assembled by an earlier attempt
                }
                if (totalSize == 0) {
                    Files.createFile(staged);
                }
            }
            try (FileChannel channel = FileChannel.open(staged, StandardOpenOption.WRITE)) {
                if (channel.size() != totalSize) {
                    throw new AssemblyException("Staged file has " + channel.size() + " bytes, expected " + totalSize);
                }
                channel.force(true);
            }
            Files.createDirectories(target.getParent());
            Files.move(staged, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return store.stat(key).orElseThrow();
    }

    @Override
    public BlobInfo concatenate(List<Part> parts, long totalSize, String key, String contentType) {
        Path first = file(parts.get(0).uploadId());
        Path target = store.file(key);
        try {
            if (!Files.exists(first)) {
                var done = store.stat(key);
                if (done.isPresent() && done.get().size() == totalSize) {
                    parts.forEach(part -> discard(part.uploadId())); // an earlier attempt got as far as the rename
                    return done.get();
                }
                throw new AssemblyException("The staged data of part " + parts.get(0).uploadId() + " is missing");
            }
            try (FileChannel out = FileChannel.open(first, StandardOpenOption.WRITE)) {
                long at = parts.get(0).size();
                if (out.size() < at) {
                    throw new AssemblyException("Part " + parts.get(0).uploadId() + " has " + out.size() + " bytes, expected "
                            + at);
                }
                out.truncate(at); // what an earlier attempt appended is appended again
                for (Part part : parts.subList(1, parts.size())) {
                    try (FileChannel in = FileChannel.open(file(part.uploadId()), StandardOpenOption.READ)) {
                        if (in.size() != part.size()) {
                            throw new AssemblyException("Part " + part.uploadId() + " has " + in.size()
                                    + " bytes, expected " + part.size());
                        }
                        long copied = 0;
                        while (copied < part.size()) {
                            out.position(at + copied);
                            copied += in.transferTo(copied, part.size() - copied, out); // in the kernel
                        }
                    }
                    at += part.size();
                }
                if (at != totalSize) {
                    throw new AssemblyException("Parts hold " + at + " bytes, expected " + totalSize);
                }
                out.force(true);
            }
            Files.createDirectories(target.getParent());
            Files.move(first, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        parts.subList(1, parts.size()).forEach(part -> discard(part.uploadId()));
        return store.stat(key).orElseThrow();
    }

    @Override
    public void discard(UUID uploadId) {
        try {
            Files.deleteIfExists(file(uploadId));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
