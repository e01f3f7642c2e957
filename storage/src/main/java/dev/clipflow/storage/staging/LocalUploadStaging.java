package dev.clipflow.storage.staging;

import dev.clipflow.storage.BlobInfo;
import dev.clipflow.storage.local.BoundedInputStream;
import dev.clipflow.storage.local.LocalBlobStore;

import com.sun.nio.file.ExtendedOpenOption;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Staging on the local store: one sparse file per upload under {@code <root>/.staging/}, each chunk
 * written at its offset with positional writes ({@link FileChannel#write(ByteBuffer, long)}) and
 * flushed before it is acknowledged; assembling checks the size and renames the file into place.
 *
 * <p>With direct I/O (the default where the file system takes {@code O_DIRECT}), the block-aligned
 * part of every write goes straight to the disk while the rest of the body is still arriving, and
 * only the unaligned edges (a chunk's start or end that is not on a block boundary) go through the
 * page cache. So the fdatasync that acknowledges a chunk does not write the chunk back while the client
 * waits, no page-cache memory is taken for data nobody reads soon, and the kernel's copy into it is saved.
 * A completed direct write is not yet durable either (a virtual disk keeps it in its host's cache, and its
 * flush costs in proportion to what it makes durable: here ~1 ms for 512 KiB, 7-13 ms for 8 MiB), so
 * flushes run behind the writes while the body still arrives ({@code flushBehind}) and the acknowledging
 * one covers only the last writes.
 */
public class LocalUploadStaging implements UploadStaging {

    private static final Logger LOG = Logger.getLogger(LocalUploadStaging.class);
    private static final int BUFFER = 1024 * 1024;
    /** Size of the aligned direct buffers that direct writes go through (one filling and those in flight per chunk). */
    private static final int DIRECT_BUFFER = 512 * 1024;
    /** Aligned direct buffers kept for reuse between chunks (16 MiB at most). */
    private static final ArrayBlockingQueue<ByteBuffer> DIRECT_BUFFERS = new ArrayBlockingQueue<>(32);
    /** Threads writing gathered buffers behind the chunks' writers (up to {@code writesInFlight} per chunk). */
    private static final ExecutorService WRITERS = Executors.newCachedThreadPool(new ThreadFactory() {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "staging-writer-" + count.getAndIncrement());
            thread.setDaemon(true);
            return thread;
        }
    });

    private final LocalBlobStore store;
    private final Path dir;
    private final boolean syncEachChunk;
    /** The file system's block size when direct I/O is used, else 0. */
    private final int alignment;
    /** Direct writes one chunk keeps in flight. */
    private final int writesInFlight;
    /** Bytes of completed direct writes after which a flush starts behind them (0: one flush at the chunk's end). */
    private final long flushBehind;

    public LocalUploadStaging(LocalBlobStore store) {
        this(store, true, true);
    }

    public LocalUploadStaging(LocalBlobStore store, boolean syncEachChunk, boolean directIo) {
        this(store, syncEachChunk, directIo, 4, DEFAULT_FLUSH_BEHIND);
    }

    /** The default of {@code flushBehind}: one direct write's buffer, so a flush follows every write it can. */
    public static final long DEFAULT_FLUSH_BEHIND = DIRECT_BUFFER;

    /**
     * @param syncEachChunk flush every chunk to disk before it counts as received
     * @param directIo write the block-aligned part of each chunk with {@code O_DIRECT} when the file
     *        system takes it (checked here once; when it does not, every write goes through the page cache)
     * @param writesInFlight how many direct writes one chunk keeps in flight (1-16): a disk queue of one
     *        write at a time leaves a virtual disk idle between them
     * @param flushBehind with direct I/O and {@code syncEachChunk}, once this many bytes of a chunk have been
     *        written directly, an fdatasync of them starts behind the writes still coming (one at a time per
     *        chunk), so the flush that acknowledges the chunk finds only its last bytes to make durable; 0
     *        flushes once, at the chunk's end
     */
    public LocalUploadStaging(LocalBlobStore store, boolean syncEachChunk, boolean directIo, int writesInFlight,
            long flushBehind) {
        if (writesInFlight < 1 || writesInFlight > 16) {
            throw new IllegalArgumentException("Direct writes in flight must be 1-16, not " + writesInFlight);
        }
        if (flushBehind < 0) {
            throw new IllegalArgumentException("The flush-behind size must not be negative, not " + flushBehind);
        }
        this.flushBehind = flushBehind;
        this.writesInFlight = writesInFlight;
        this.store = store;
        this.syncEachChunk = syncEachChunk;
        this.dir = store.root().resolve(".staging");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.alignment = directIo ? directIoAlignment(dir) : 0;
    }

    /** Whether the aligned part of each write bypasses the page cache. */
    public boolean directIo() {
        return alignment > 0;
    }

    /**
     * The block size to align direct writes to, after writing one block with {@code O_DIRECT} into
     * {@code dir}; 0 when the file system refuses it (e.g. tmpfs before Linux 6.6, some FUSE mounts).
     */
    private static int directIoAlignment(Path dir) {
        Path probe = dir.resolve(".direct-io-probe-" + UUID.randomUUID() + ".partial");
        try {
            int blockSize = Math.toIntExact(Files.getFileStore(dir).getBlockSize());
            if (blockSize <= 0 || Integer.bitCount(blockSize) != 1 || blockSize > BUFFER) {
                throw new IOException("unusable block size " + blockSize);
            }
            try (FileChannel channel = FileChannel.open(probe, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    ExtendedOpenOption.DIRECT)) {
                ByteBuffer block = ByteBuffer.allocateDirect(2 * blockSize).alignedSlice(blockSize).limit(blockSize);
                channel.write(block, 0);
            }
            return blockSize;
        } catch (IOException | UnsupportedOperationException | ArithmeticException e) {
            LOG.infof("Upload staging in %s writes through the page cache: direct I/O is not available there (%s)",
                    dir, e.toString());
            return 0;
        } finally {
            try {
                Files.deleteIfExists(probe);
            } catch (IOException e) {
                LOG.debugf(e, "Could not delete %s", probe);
            }
        }
    }

    /**
     * A chunk's file handles: the buffered one (edges, the fdatasync) and, with direct I/O, a direct one
     * written behind the caller: aligned bytes are gathered in an aligned direct buffer, and a full
     * buffer is written by a staging writer thread while the caller goes on (hashing and handing over
     * the next bytes, which fill another buffer), up to {@code writesInFlight} of them at once (disjoint
     * ranges of the file). So the disk's time and the caller's CPU overlap instead of adding up per
     * block, and the disk has the next writes queued when one ends.
     */
    private final class Target implements AutoCloseable {
        private final Path path;
        private final FileChannel buffered;
        private FileChannel direct;
        /** The buffer being filled, and the file position of its first byte. */
        private ByteBuffer filling;
        private long fillingAt;
        /** Buffers being written, oldest first, with their writes. */
        private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
        /** No direct I/O for (the rest of) this chunk: not wanted, or no direct memory left. */
        private boolean buffersRefused;
        /** The flush running behind the direct writes, if any ({@code flushBehind}). */
        private Future<?> flushing;
        /** Bytes written directly since the last flush behind them started. */
        private long unflushed;

        Target(UUID uploadId, boolean mayGoDirect) throws IOException {
            path = file(uploadId);
            buffersRefused = !mayGoDirect;
            buffered = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        }

        /**
         * Writes all of {@code buffer} at {@code position}: the block-aligned middle with direct I/O,
         * the unaligned head and tail (if any) through the page cache. A page is thus written whole by
         * one or the other, and the kernel keeps the two coherent (a direct write first writes back and
         * drops cached pages of its range).
         */
        void write(ByteBuffer buffer, long position) throws IOException {
            int n = buffer.remaining();
            if (alignment > 0 && n >= alignment && !buffersRefused) {
                long mask = alignment - 1L;
                long middleStart = (position + mask) & ~mask;
                long middleEnd = (position + n) & ~mask;
                if (middleEnd - middleStart >= alignment) {
                    int start = buffer.position();
                    writeBuffered(slice(buffer, start, (int) (middleStart - position)), position);
                    writeDirect(slice(buffer, start + (int) (middleStart - position), (int) (middleEnd - middleStart)),
                            middleStart);
                    writeBuffered(slice(buffer, start + (int) (middleEnd - position), (int) (position + n - middleEnd)),
                            middleEnd);
                    buffer.position(buffer.limit());
                    return;
                }
            }
            writeBuffered(buffer, position);
        }

        /**
         * Copies an aligned range into the buffer being filled (never a heap buffer straight to the
         * direct channel: the JDK would copy it into a temporary aligned buffer of its own, which JDK 17
         * fails to replace when one of another size is cached, an NPE in
         * {@code Util.getTemporaryAlignedDirectBuffer}; the copy is the same one).
         */
        private void writeDirect(ByteBuffer data, long position) throws IOException {
            while (data.hasRemaining()) {
                if (filling == null) {
                    filling = directBuffer();
                    if (filling == null && !inFlight.isEmpty()) {
                        filling = awaitOldest(); // no other buffer to be had: wait for one in flight
                    }
                    if (filling == null) { // no direct memory left: the page cache takes the rest of the chunk
                        buffersRefused = true;
                        writeBuffered(data, position);
                        return;
                    }
                    filling.clear().limit(DIRECT_BUFFER);
                    fillingAt = position;
                } else if (fillingAt + filling.position() != position) { // not contiguous (a chunk's pieces usually are)
                    if (filling.position() > 0) {
                        submit();
                        continue;
                    }
                    fillingAt = position;
                }
                int n = Math.min(filling.remaining(), data.remaining());
                filling.put(slice(data, data.position(), n));
                data.position(data.position() + n);
                position += n;
                if (!filling.hasRemaining()) {
                    submit();
                }
            }
        }

        /** Hands the gathered buffer to a writer thread, once fewer than {@code writesInFlight} are being written. */
        private void submit() throws IOException {
            ByteBuffer full = filling;
            long at = fillingAt;
            filling = null;
            ByteBuffer free = inFlight.size() >= writesInFlight ? awaitOldest() : null;
            if (direct == null) {
                direct = FileChannel.open(path, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT);
            }
            full.flip();
            FileChannel channel = direct;
            inFlight.add(new InFlight(full, WRITERS.submit(() -> {
                writeAligned(channel, full, at);
                return null;
            })));
            if (free != null) {
                filling = free.clear().limit(DIRECT_BUFFER); // reused for the next bytes
                fillingAt = at + full.limit();
            }
        }

        private void writeAligned(FileChannel channel, ByteBuffer data, long position) throws IOException {
            long mask = alignment - 1L;
            while (data.hasRemaining()) {
                if (((position | data.remaining()) & mask) != 0) { // a short direct write (rare): finish buffered
                    writeBuffered(data, position);
                    return;
                }
                position += channel.write(data, position);
            }
        }

        /**
         * Waits for the oldest write in flight; its buffer is free again. A failed write is thrown once its
         * buffer is back in the pool (the other writes still in flight are waited for by {@link #close}).
         */
        private ByteBuffer awaitOldest() throws IOException {
            InFlight oldest = inFlight.poll();
            boolean keptUp = oldest.write().isDone(); // the disk wrote it while the body arrived: it has time to flush
            try {
                oldest.write().get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                inFlight.addFirst(oldest); // still being written: close() must not give its buffer back
                throw new InterruptedIOException("Interrupted while writing " + path);
            } catch (ExecutionException e) {
                giveBack(oldest.buffer());
                if (e.getCause() instanceof IOException io) {
                    throw io;
                }
                throw new IOException("Writing " + path + " failed", e.getCause());
            }
            unflushed += oldest.buffer().limit();
            if (keptUp) {
                flushBehind();
            }
            return oldest.buffer();
        }

        /**
         * Starts a flush of what was written directly so far once {@code flushBehind} bytes are (and no flush
         * of this chunk is running): a virtual disk's flush costs in proportion to what it has to make durable
         * (here ~1 ms for 512 KiB, 7-13 ms for 8 MiB), so flushing while the body still arrives leaves the
         * acknowledging flush only the last writes, instead of the whole chunk after its last byte. Called only
         * when the write just waited for had completed before it was waited for: the disk keeps up with the body.
         * When it does not (the chunk's writes wait for each other: the bytes come faster than the disk takes
         * them), a flush between the writes would only stall them (written from the page cache in 8 or 64 MiB
         * steps, the file went 1.3-1.5x slower with them), and the flush is left to the chunk's end.
         */
        private void flushBehind() throws IOException {
            if (flushBehind == 0 || !syncEachChunk || unflushed < flushBehind
                    || flushing != null && !flushing.isDone()) {
                return;
            }
            awaitFlush(); // a failed flush fails the chunk
            unflushed = 0;
            FileChannel channel = buffered;
            flushing = WRITERS.submit(() -> {
                channel.force(false);
                return null;
            });
        }

        /** Waits for the flush behind the writes, if one runs; its failure is thrown. */
        private void awaitFlush() throws IOException {
            Future<?> flush = flushing;
            flushing = null;
            if (flush == null) {
                return;
            }
            try {
                flush.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                flushing = flush; // still running: close() waits for it before closing the file
                throw new InterruptedIOException("Interrupted while flushing " + path);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof IOException io) {
                    throw io;
                }
                throw new IOException("Flushing " + path + " failed", e.getCause());
            }
        }

        private void writeBuffered(ByteBuffer buffer, long position) throws IOException {
            while (buffer.hasRemaining()) {
                position += buffered.write(buffer, position);
            }
        }

        /** Flushes the chunk: what is gathered, the page-cache edges and the file's metadata. */
        void sync() throws IOException {
            drain();
            awaitFlush();
            buffered.force(false);
        }

        /** Writes what is gathered and waits for every write in flight. */
        private void drain() throws IOException {
            if (filling != null && filling.position() > 0) {
                submit();
            }
            while (!inFlight.isEmpty()) {
                giveBack(awaitOldest());
            }
        }

        /**
         * Writes what is gathered (a chunk that failed midway too: nothing may write into the file after
         * this returns), then closes the files; the buffers go back to the pool only once no write uses them.
         */
        @Override
        public void close() throws IOException {
            try {
                drain();
            } finally {
                // drain failed before its last wait: those buffers are still being written
                for (InFlight write; (write = inFlight.poll()) != null; ) {
                    try {
                        write.write().get();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        continue; // may still be written: its buffer is left to the garbage collector, not the pool
                    } catch (ExecutionException ignored) {
                        // the chunk fails anyway
                    }
                    giveBack(write.buffer());
                }
                giveBack(filling);
                filling = null;
                if (flushing != null) { // a chunk that failed midway: the flush must end before the file closes
                    try {
                        flushing.get();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (ExecutionException ignored) {
                        // the chunk fails anyway
                    }
                }
                try (FileChannel closingBuffered = buffered; FileChannel closingDirect = direct) {
                    // closed after every write has ended
                }
            }
        }
    }

    /** A gathered buffer being written by a staging writer thread. */
    private record InFlight(ByteBuffer buffer, Future<?> write) {
    }

    /** An aligned direct buffer from the pool or new; null when the JVM has no direct memory left. */
    private ByteBuffer directBuffer() {
        ByteBuffer buffer = DIRECT_BUFFERS.poll();
        if (buffer != null && buffer.capacity() >= DIRECT_BUFFER && buffer.alignmentOffset(0, alignment) == 0) {
            return buffer.clear().limit(DIRECT_BUFFER);
        }
        try {
            return ByteBuffer.allocateDirect(DIRECT_BUFFER + alignment).alignedSlice(alignment).limit(DIRECT_BUFFER);
        } catch (OutOfMemoryError e) { // -XX:MaxDirectMemorySize reached by many chunks at once
            LOG.debugf("No direct memory for a staging buffer, writing through the page cache: %s", e.getMessage());
            return null;
        }
    }

    private static void giveBack(ByteBuffer buffer) {
        if (buffer != null) {
            DIRECT_BUFFERS.offer(buffer);
        }
    }

    private static ByteBuffer slice(ByteBuffer buffer, int from, int length) {
        return buffer.duplicate().limit(from + length).position(from);
    }

    /** The file holding an upload's chunks (names end in {@code .partial}, which listings skip). */
    public Path file(UUID uploadId) {
        return dir.resolve(uploadId + ".partial");
    }

    @Override
    public void writeChunk(UUID uploadId, int index, long offset, InputStream data, long length) {
        try (Target target = new Target(uploadId, true)) {
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
                target.write(buffer, offset + written);
                written += n;
            }
            if (data.read() >= 0) {
                throw new ChunkLengthException(length, length + 1);
            }
            if (syncEachChunk) {
                target.sync();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes each buffer positionally as it comes (its aligned part directly to the disk, see the
     * class; a heap buffer goes through the JDK's per-thread direct buffer), then one fdatasync.
     */
    @Override
    public void writeChunk(UUID uploadId, int index, long offset, ChunkBuffers data, long length) {
        writeChunk(uploadId, index, offset, data, length, false);
    }

    /**
     * As above; bytes to be read back soon go through the page cache only, where the read finds them
     * (with direct I/O it would read them from the disk).
     */
    @Override
    public void writeChunk(UUID uploadId, int index, long offset, ChunkBuffers data, long length, boolean readBackSoon) {
        try (Target target = new Target(uploadId, !readBackSoon)) {
            long written = 0;
            ByteBuffer buffer;
            while ((buffer = data.next()) != null) {
                int n = buffer.remaining();
                if (written + n > length) {
                    throw new ChunkLengthException(length, length + 1);
                }
                target.write(buffer, offset + written);
                written += n;
            }
            if (written < length) {
                throw new ChunkLengthException(length, written);
            }
            if (syncEachChunk) {
                target.sync();
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

    /**
     * Makes the parts' staged files the object without copying them: one part is renamed into place; several
     * become an object stored as parts ({@link LocalBlobStore#adoptParts}: hard links in a folder renamed into
     * place, with a manifest), so finishing costs the same for any size. (Appending the later parts to the first
     * one wrote 3/4 of the file again for tus-js-client's {@code parallelUploads: 4}, bound by the disk's write
     * rate: 0.85 s of 1 GiB here, the longest step after the last byte.)
     */
    @Override
    public BlobInfo concatenate(List<Part> parts, long totalSize, String key, String contentType,
            Runnable beforeDroppingParts) {
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
            List<LocalBlobStore.Part> files = new ArrayList<>(parts.size());
            long at = 0;
            for (Part part : parts) {
                Path file = file(part.uploadId());
                long size;
                try {
                    size = Files.size(file);
                } catch (NoSuchFileException e) {
                    throw new AssemblyException("The staged data of part " + part.uploadId() + " is missing");
                }
                if (size != part.size()) {
                    throw new AssemblyException("Part " + part.uploadId() + " has " + size + " bytes, expected "
                            + part.size());
                }
                files.add(new LocalBlobStore.Part(file, size));
                at += size;
            }
            if (at != totalSize) {
                throw new AssemblyException("Parts hold " + at + " bytes, expected " + totalSize);
            }
            beforeDroppingParts.run();
            if (parts.size() == 1) {
                Files.createDirectories(target.getParent());
                Files.move(first, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } else {
                store.adoptParts(key, files, objectFolder(parts.get(0).uploadId()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        parts.forEach(part -> discard(part.uploadId()));
        return store.stat(key).orElseThrow();
    }

    /** Where the object of a concatenation whose first part is {@code uploadId} is put together. */
    private Path objectFolder(UUID uploadId) {
        return dir.resolve(uploadId + ".object.partial");
    }

    @Override
    public void discard(UUID uploadId) {
        try {
            Files.deleteIfExists(file(uploadId));
            Path folder = objectFolder(uploadId); // a concatenation that died before its rename
            if (Files.isDirectory(folder)) {
                try (var names = Files.list(folder)) {
                    for (Path name : (Iterable<Path>) names::iterator) {
                        Files.deleteIfExists(name);
                    }
                }
                Files.deleteIfExists(folder);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
