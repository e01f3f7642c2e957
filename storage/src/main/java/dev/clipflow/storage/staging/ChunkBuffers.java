package dev.clipflow.storage.staging;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * A chunk's bytes as the buffers they arrived in, so staging can write each one as it is instead of
 * copying the stream into a buffer of its own (a request body comes in blocks already).
 */
@FunctionalInterface
public interface ChunkBuffers {

    /**
     * The next bytes (position to limit), or null at the end. The buffer is the caller's until the
     * next call: read or write it, but keep no reference.
     *
     * @throws IOException when the bytes stop before their end (e.g. the client hung up)
     */
    ByteBuffer next() throws IOException;

    /** These buffers as a stream, for a staging that writes streams (GCS). */
    default InputStream asStream() {
        ChunkBuffers buffers = this;
        return new InputStream() {
            private ByteBuffer current;
            private boolean ended;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] target, int offset, int length) throws IOException {
                if (length == 0) {
                    return 0;
                }
                while (current == null || !current.hasRemaining()) {
                    if (ended || (current = buffers.next()) == null) {
                        ended = true;
                        return -1;
                    }
                }
                int n = Math.min(length, current.remaining());
                current.get(target, offset, n);
                return n;
            }
        };
    }
}
