package dev.clipflow.upload.ingest;

import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Hands the running whole-file SHA-256 from a chunk being received in this replica to the chunk right
 * after it, so that chunks sent in parallel and in order (the chunked API's clients, 4 PUTs in flight) are
 * all hashed as they pass instead of three in four being written through the page cache and read back when
 * the gap before them closes.
 *
 * <p>SHA-256 is sequential: chunk {@code k}'s bytes can enter it only after chunk {@code k-1}'s. A chunk that
 * hashes as it passes announces a {@link Baton} for the offset where it ends. A chunk claimed at that offset
 * while the baton is out waits for it (its body unread, so its request stays paused and TCP holds the client
 * back) for at most {@code clipflow.upload.digest-handoff-wait}, takes the state the chunk before it reached
 * at the end of its bytes (only once they matched the client's checksums), and streams on with it. It counts
 * with its own state only when the chunk before it counted with its state (else the stored digest would not
 * stand at its start); otherwise it counts without one and the running digest reads it back later, as it does
 * for any chunk after a gap. A wait that runs out, or a chunk before that failed, falls back to that path:
 * the relay only ever saves work.
 */
@ApplicationScoped
public class DigestRelay {

    private final ConcurrentHashMap<Key, Baton> batons = new ConcurrentHashMap<>();

    private record Key(UUID uploadId, long offset) {
    }

    /** What a chunk hashed as it passed hands to the chunk after it. */
    public static final class Baton {
        private final Key key;
        /** The digest's encoded state over the file up to the chunk's end; null when it will not have one. */
        private final CompletableFuture<byte[]> hashed = new CompletableFuture<>();
        /** Whether the chunk counted with that state (the stored digest then stands at the chunk's end). */
        private final CompletableFuture<Boolean> carried = new CompletableFuture<>();

        private Baton(Key key) {
            this.key = key;
        }

        /** The chunk's bytes are in, matched their checksums, and the digest over them is {@code state} (null: none). */
        public void hashed(byte[] state) {
            hashed.complete(state);
        }

        /** The chunk counted ({@code true} when its state was stored with it). */
        public void counted(boolean withState) {
            hashed.complete(null);
            carried.complete(withState);
        }

        /** The state the chunk before reached, waiting at most {@code wait}; null when it has none (yet). */
        public byte[] awaitHashed(Duration wait) {
            return await(hashed, wait, null);
        }

        /** Whether the chunk before counted with its state, waiting at most {@code wait}. */
        public boolean awaitCarried(Duration wait) {
            return Boolean.TRUE.equals(await(carried, wait, Boolean.FALSE));
        }

        private static <T> T await(CompletableFuture<T> future, Duration wait, T otherwise) {
            try {
                return future.get(wait.toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return otherwise;
            } catch (ExecutionException | TimeoutException e) {
                return otherwise;
            }
        }
    }

    /**
     * A chunk of {@code uploadId} that will hash its bytes as they pass announces the state it will reach at
     * {@code end}; it must {@link #retire} the baton when its request ends, whatever happens.
     */
    public Baton announce(UUID uploadId, long end) {
        Key key = new Key(uploadId, end);
        Baton baton = new Baton(key);
        Baton earlier = batons.put(key, baton); // a second request for the same chunk: the newer one is followed
        if (earlier != null) {
            earlier.counted(false);
        }
        return baton;
    }

    /** The baton of the chunk of {@code uploadId} being received here that ends at {@code offset}, if any. */
    public Optional<Baton> before(UUID uploadId, long offset) {
        return Optional.ofNullable(batons.get(new Key(uploadId, offset)));
    }

    /** Ends a baton: whoever waits for it goes on without it. */
    public void retire(Baton baton) {
        baton.counted(false);
        batons.remove(baton.key, baton);
    }

    /** Batons out (for tests: none may outlive its request). */
    int size() {
        return batons.size();
    }
}
