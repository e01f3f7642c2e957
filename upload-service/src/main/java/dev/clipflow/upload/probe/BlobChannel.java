package dev.clipflow.upload.probe;

import dev.clipflow.storage.BlobStore;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;

/**
 * A blob read in place through ranged reads of the store, as a seekable channel: ffprobe (served
 * through Jaffree) reads the few parts of a file it needs (header, index) instead of the whole
 * original being copied to a local temporary file first. Each seek opens a new ranged read from the
 * new position to the end; reads that continue where the previous one stopped keep the stream.
 */
public final class BlobChannel implements SeekableByteChannel {

    private final BlobStore store;
    private final String key;
    private final long size;
    private long position;
    private InputStream stream;
    private long streamPosition;
    private long bytesRead;
    private boolean open = true;

    public BlobChannel(BlobStore store, String key, long size) {
        this.store = store;
        this.key = key;
        this.size = size;
    }

    @Override
    public int read(ByteBuffer target) throws IOException {
        ensureOpen();
        if (position >= size) {
            return -1;
        }
        if (stream == null || streamPosition != position) {
            closeStream();
            stream = store.open(key, position, size - position);
            streamPosition = position;
        }
        int wanted = (int) Math.min(target.remaining(), Math.min(size - position, 64 * 1024));
        byte[] chunk = new byte[wanted];
        int n = stream.read(chunk, 0, wanted);
        if (n < 0) {
            return -1;
        }
        target.put(chunk, 0, n);
        position += n;
        streamPosition += n;
        bytesRead += n;
        return n;
    }

    @Override
    public int write(ByteBuffer source) {
        throw new NonWritableChannelException();
    }

    @Override
    public long position() throws IOException {
        ensureOpen();
        return position;
    }

    @Override
    public SeekableByteChannel position(long newPosition) throws IOException {
        ensureOpen();
        if (newPosition < 0) {
            throw new IllegalArgumentException("negative position " + newPosition);
        }
        position = newPosition;
        return this;
    }

    @Override
    public long size() throws IOException {
        ensureOpen();
        return size;
    }

    @Override
    public SeekableByteChannel truncate(long newSize) {
        throw new NonWritableChannelException();
    }

    /** Bytes read from the store so far. */
    public long bytesRead() {
        return bytesRead;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() throws IOException {
        open = false;
        closeStream();
    }

    private void closeStream() throws IOException {
        if (stream != null) {
            InputStream old = stream;
            stream = null;
            old.close();
        }
    }

    private void ensureOpen() throws ClosedChannelException {
        if (!open) {
            throw new ClosedChannelException();
        }
    }
}
