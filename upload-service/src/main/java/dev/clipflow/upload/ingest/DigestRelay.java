package dev.clipflow.upload.ingest;

import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Hands the running whole-file SHA-256 to a chunk that arrives while the data before it is still being
 * received in this replica, so that chunks sent in parallel and in order (the chunked API's clients, 4 PUTs
 * in flight) are hashed as they pass instead of three in four being written through the page cache and read
 * back when the gap before them closes.
 *
 * <p>SHA-256 is sequential: a chunk's bytes can enter it only after every byte before them. Every offset a
 * chunk waits at has a {@link Slot}: the digest's state over the file up to there ({@link Slot#hashed}), given
 * by the chunk that ends there as soon as its bytes are in and matched their checksums (before it is flushed
 * and counted), or by the running digest's advancer when it read the chunks before back; and whether the
 * stored digest stands there ({@link Slot#stored}). A chunk that does not continue the stored digest when
 * it is claimed, while a chunk of the same upload before it is being received here ({@link #behind}), waits
 * for its slot (its body unread, so its request stays paused and TCP holds the client back) for at most
 * {@code clipflow.upload.digest-handoff-wait}, streams on with the state, and counts with its own state only
 * once the stored digest stands at its start (else it counts without one and is read back later, as any chunk
 * after a gap). A wait that runs out falls back to that path: the relay only ever saves work. A chunk with
 * nothing before it in flight (a client sending out of order) does not wait, nor does one whose gap would take
 * longer than the wait at the rate this upload's chunks stream here (a slow link: it goes on at once).
 */
@ApplicationScoped
public class DigestRelay {

    /** The longest gap, in chunks, {@link #inFlight} looks at. */
    static final int IN_FLIGHT_CHUNKS = 16;

    private final ConcurrentHashMap<Key, Slot> slots = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<UUID, Receiving> receiving = new ConcurrentHashMap<>();

    /**
     * The chunks of one upload being received here, the ends of those among them that stream without the digest
     * (nothing will be handed over there), and how fast the last one that streamed hashed.
     */
    private static final class Receiving {
        final ConcurrentSkipListSet<Long> offsets = new ConcurrentSkipListSet<>();
        /** Chunks received and counted while others were in flight, until the stored digest passes them. */
        final ConcurrentSkipListSet<Long> received = new ConcurrentSkipListSet<>();
        final ConcurrentSkipListSet<Long> endsWithoutDigest = new ConcurrentSkipListSet<>();
        volatile double bytesPerSecond;
    }

    private record Key(UUID uploadId, long offset) {
    }

    /** The digest at one offset of one upload. */
    public static final class Slot {
        private final CompletableFuture<byte[]> hashed = new CompletableFuture<>();
        private final CompletableFuture<byte[]> stored = new CompletableFuture<>();

        /** The state over the file up to this offset, waiting at most {@code wait}; null when it did not come. */
        public byte[] awaitHashed(Duration wait) {
            return await(hashed, wait);
        }

        /**
         * Whether the stored digest came to stand at this offset within {@code wait} over the same bytes as
         * {@code hashed} (the state this chunk went on from: a chunk before that was sent again with other bytes
         * stores another), see {@link #samePrefix}.
         */
        public boolean awaitStored(byte[] hashed, Duration wait) {
            return samePrefix(hashed, await(stored, wait));
        }

        private static <T> T await(CompletableFuture<T> future, Duration wait) {
            try {
                return future.get(wait.toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            } catch (ExecutionException | TimeoutException e) {
                return null;
            }
        }
    }

    /**
     * Whether two saved SHA-256 states are over the same bytes. Their encodings cannot be compared as they are: a
     * state carries its unfilled block buffer whole, with whatever earlier updates left beyond the bytes it holds,
     * so the same bytes hashed in other pieces (a request's network blocks, the advancer's reads) encode
     * differently. Each is finished on a copy instead and the SHA-256 values compared. (Comparing the encodings
     * made a chunk that took over the digest from the chunk before it give it up whenever the advancer had stored
     * the digest at its start after reading that chunk back: it was then read back too, and so was every chunk
     * after it, 913 MiB of a 1 GiB upload in one benchmark run.) False when either is missing or not restorable.
     */
    public static boolean samePrefix(byte[] one, byte[] other) {
        if (one == null || other == null) {
            return false;
        }
        if (java.util.Arrays.equals(one, other)) {
            return true;
        }
        byte[] first = finished(one);
        return first != null && java.util.Arrays.equals(first, finished(other));
    }

    /** The SHA-256 of the bytes a saved state is over, or null when the state cannot be restored here. */
    private static byte[] finished(byte[] state) {
        try {
            org.bouncycastle.crypto.SavableDigest digest = org.bouncycastle.crypto.digests.SHA256Digest.newInstance(state);
            byte[] out = new byte[digest.getDigestSize()];
            digest.doFinal(out, 0);
            return out;
        } catch (RuntimeException e) {
            return null; // another implementation's format, or not a state at all
        }
    }

    /** A chunk of {@code uploadId} starting at {@code offset} is being received here; {@link #done} when its request ends. */
    public void receiving(UUID uploadId, long offset) {
        receiving.compute(uploadId, (id, upload) -> {
            Receiving now = upload == null ? new Receiving() : upload;
            now.offsets.add(offset);
            return now;
        });
    }

    /**
     * The request receiving the chunk at {@code offset}, which ends at {@code end}, ended (whatever happened).
     */
    public void done(UUID uploadId, long offset, long end) {
        receiving.computeIfPresent(uploadId, (id, upload) -> {
            upload.offsets.remove(offset);
            upload.endsWithoutDigest.remove(end);
            return upload.offsets.isEmpty() ? null : upload;
        });
    }

    /**
     * The chunk being received that ends at {@code end} streams without the digest (it arrived after a gap): nothing
     * will be handed over at its end, so a chunk waiting there goes on at once, and one that would wait there does
     * not (it waited the whole hand-off wait for nothing: chunks sent shuffled and in parallel).
     */
    public void noHandOver(UUID uploadId, long end) {
        Receiving upload = receiving.get(uploadId);
        if (upload != null) {
            upload.endsWithoutDigest.add(end);
        }
        Slot slot = slots.get(new Key(uploadId, end));
        if (slot != null) {
            slot.hashed.complete(null);
        }
    }

    /** Whether the chunk being received right before {@code offset} said it hands nothing over there ({@link #noHandOver}). */
    public boolean noneComing(UUID uploadId, long offset) {
        Receiving upload = receiving.get(uploadId);
        return upload != null && upload.endsWithoutDigest.contains(offset);
    }

    /**
     * Whether the digest will be saved at {@code offset} soon although the chunk being received right before it streams
     * without it: every chunk (of {@code length} bytes) from where the stored digest stands ({@code storedBytes}) up to
     * {@code offset} is being received here, so once they are counted the advancer reads back what was not hashed and
     * saves the digest here ({@link #stored}). Without this wait one chunk that missed its hand-over made every chunk
     * after it miss theirs while clients kept several in flight (the advancer, always behind the chunks in flight,
     * never stood at the start of one as it arrived: 962 MiB of a 1 GiB upload read back in a benchmark run); with it
     * the chain is whole again after one chunk read back.
     */
    public boolean advancerNext(UUID uploadId, long offset, long storedBytes, long length) {
        return noneComing(uploadId, offset) && inFlight(uploadId, storedBytes, offset, length);
    }

    /**
     * Whether every chunk (of {@code length} bytes) from {@code from} up to {@code offset} is being received here or was
     * received since ({@link #received}): the gap before a chunk at {@code offset} is closing as fast as this client
     * sends, whatever one chunk's rate. Only a gap of at most {@link #IN_FLIGHT_CHUNKS} chunks is looked at (a client
     * keeps a few in flight; a longer gap does not close within a hand-off wait), so the look stays short.
     */
    public boolean inFlight(UUID uploadId, long from, long offset, long length) {
        Receiving upload = receiving.get(uploadId);
        if (upload == null || length <= 0 || from >= offset || (offset - from) % length != 0
                || (offset - from) / length > IN_FLIGHT_CHUNKS) {
            return false;
        }
        for (long at = from; at < offset; at += length) {
            if (!upload.offsets.contains(at) && !upload.received.contains(at)) {
                return false; // a gap nobody here fills: the advancer stops before it
            }
        }
        return true;
    }

    /** Whether a chunk of {@code uploadId} before {@code offset} is being received here (so the gap may close soon). */
    public boolean behind(UUID uploadId, long offset) {
        Receiving upload = receiving.get(uploadId);
        return upload != null && upload.offsets.lower(offset) != null;
    }

    /** A chunk of {@code uploadId} streamed and hashed {@code bytes} in {@code nanos}. */
    public void streamed(UUID uploadId, long bytes, long nanos) {
        Receiving upload = receiving.get(uploadId);
        if (upload != null && bytes > 0 && nanos > 0) {
            upload.bytesPerSecond = bytes * 1e9 / nanos;
        }
    }

    /**
     * Whether waiting at most {@code wait} for {@code gap} bytes before a chunk can pay off: they stream at the rate
     * the upload's last chunk streamed here (unknown: yes). A client on a slow link (seconds per chunk) is not held
     * back for a digest that would come too late anyway. (Not asked when the whole gap is {@link #inFlight}: one chunk's
     * rate while several share the link, as at an upload's start, is a fraction of the client's; judged by it, a chunk
     * went on without the digest, and so did the chunks after it.)
     */
    public boolean worthWaiting(UUID uploadId, long gap, Duration wait) {
        Receiving upload = receiving.get(uploadId);
        double rate = upload == null ? 0 : upload.bytesPerSecond;
        return rate <= 0 || gap / rate <= wait.toNanos() / 1e9;
    }

    /**
     * The slot a chunk starting at {@code offset} waits at (made by it, {@link #release}d by it); only chunks
     * waiting make slots, so what passes offsets nobody waits at costs nothing.
     */
    public Slot waitAt(UUID uploadId, long offset) {
        return slots.computeIfAbsent(new Key(uploadId, offset), key -> new Slot());
    }

    /** The chunk that ends at {@code offset} hashed its bytes, which matched: the digest up to there is {@code state}. */
    public void hashed(UUID uploadId, long offset, byte[] state) {
        Slot slot = slots.get(new Key(uploadId, offset));
        if (slot != null) {
            slot.hashed.complete(state);
        }
    }

    /**
     * The chunk at {@code offset} was received and counted: while its upload has chunks in flight here it is part of
     * the gap the advancer closes ({@link #inFlight}) until the stored digest passes it.
     */
    public void received(UUID uploadId, long offset) {
        Receiving upload = receiving.get(uploadId);
        if (upload != null) {
            upload.received.add(offset);
        }
    }

    /** The stored digest stands at {@code offset} with {@code state} (a chunk counted with it, or the advancer saved it). */
    public void stored(UUID uploadId, long offset, byte[] state) {
        Receiving upload = receiving.get(uploadId);
        if (upload != null) {
            upload.received.headSet(offset).clear();
        }
        Slot slot = slots.get(new Key(uploadId, offset));
        if (slot != null) { // someone waits there: else nobody needs it
            slot.hashed.complete(state);
            slot.stored.complete(state);
        }
    }

    /** The chunk that waited at {@code offset} is done with its slot. */
    public void release(UUID uploadId, long offset) {
        slots.remove(new Key(uploadId, offset));
    }

    /** Slots and receiving uploads held (for tests: none may outlive its requests for long). */
    int size() {
        return slots.size() + receiving.size();
    }
}
