package dev.clipflow.upload.ingest;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The relay's bookkeeping: what is in flight, when waiting pays off, that a slot hands over and is released. */
class DigestRelayTest {

    private final DigestRelay relay = new DigestRelay();
    private final UUID upload = UUID.randomUUID();

    @Test
    void aChunkWaitsOnlyForDataBeforeItThatCanArriveWithinTheWait() {
        relay.receiving(upload, 0);
        relay.receiving(upload, 32);
        assertThat(relay.behind(upload, 32)).isTrue();
        assertThat(relay.behind(upload, 0)).isFalse();
        assertThat(relay.behind(UUID.randomUUID(), 32)).isFalse();
        Duration wait = Duration.ofMillis(500);
        assertThat(relay.worthWaiting(upload, 48L << 20, wait)).as("no rate known yet").isTrue();
        relay.streamed(upload, 16L << 20, 40_000_000L); // 400 MiB/s: 48 MiB in 120 ms
        assertThat(relay.worthWaiting(upload, 48L << 20, wait)).isTrue();
        relay.streamed(upload, 8L << 20, 800_000_000L); // a slow link, 10 MiB/s: 24 MiB in 2.4 s
        assertThat(relay.worthWaiting(upload, 24L << 20, wait)).isFalse();
        relay.done(upload, 0, 32);
        relay.done(upload, 32, 64);
        assertThat(relay.behind(upload, 64)).isFalse();
        assertThat(relay.size()).isZero();
    }

    /**
     * The advancer will stand at a chunk's start soon only when every chunk between the stored digest and it is being
     * received here, and the chunk right before said it hands nothing over (else that one's hand-over is awaited).
     */
    @Test
    void theAdvancerIsAwaitedOnlyWhenEveryChunkBetweenTheStoredDigestAndTheChunkIsInFlight() {
        long chunk = 16;
        relay.receiving(upload, 32);
        relay.receiving(upload, 48);
        assertThat(relay.inFlight(upload, 32, 64, chunk)).isTrue();
        assertThat(relay.inFlight(upload, 16, 64, chunk)).as("the chunk at 16 is not being received").isFalse();
        assertThat(relay.inFlight(upload, 32, 60, chunk)).as("not on a chunk boundary").isFalse();
        for (long at = 64; at < 32 + chunk * (DigestRelay.IN_FLIGHT_CHUNKS + 1); at += chunk) {
            relay.receiving(upload, at);
        }
        assertThat(relay.inFlight(upload, 32, 32 + chunk * DigestRelay.IN_FLIGHT_CHUNKS, chunk)).isTrue();
        assertThat(relay.inFlight(upload, 32, 32 + chunk * (DigestRelay.IN_FLIGHT_CHUNKS + 1), chunk))
                .as("a gap longer than a client keeps in flight").isFalse();
        for (long at = 64; at < 32 + chunk * (DigestRelay.IN_FLIGHT_CHUNKS + 1); at += chunk) {
            relay.done(upload, at, at + chunk);
        }
        assertThat(relay.advancerNext(upload, 64, 32, chunk)).as("the chunk at 48 may still hand over").isFalse();
        relay.noHandOver(upload, 64);
        assertThat(relay.advancerNext(upload, 64, 32, chunk)).isTrue();
        assertThat(relay.advancerNext(upload, 64, 16, chunk)).as("a gap the advancer stops before").isFalse();
        relay.received(upload, 32);
        relay.done(upload, 32, 48);
        assertThat(relay.advancerNext(upload, 64, 32, chunk)).as("the chunk at 32 was received: read back next").isTrue();
        relay.stored(upload, 48, new byte[] {1});
        assertThat(relay.inFlight(upload, 32, 64, chunk)).as("the digest passed the chunk at 32").isFalse();
        relay.receiving(upload, 16);
        relay.done(upload, 16, 32);
        assertThat(relay.inFlight(upload, 16, 64, chunk)).as("the chunk at 16 went away without counting").isFalse();
        relay.done(upload, 48, 64);
        assertThat(relay.size()).isZero();
    }

    @Test
    void aSlotHandsOverTheStateAndWhetherItIsStoredThenGoes() {
        DigestRelay.Slot slot = relay.waitAt(upload, 100);
        relay.hashed(upload, 99, new byte[] {9}); // another offset: not this slot's
        assertThat(slot.awaitHashed(Duration.ofMillis(10))).isNull();
        relay.hashed(upload, 100, new byte[] {1});
        assertThat(slot.awaitHashed(Duration.ofMillis(10))).containsExactly(1);
        assertThat(slot.awaitStored(new byte[] {1}, Duration.ofMillis(10))).isFalse();
        relay.stored(upload, 100, new byte[] {1});
        assertThat(slot.awaitStored(new byte[] {1}, Duration.ofMillis(10))).isTrue();
        // the chunk before was sent again with other bytes: what it stored is not what this chunk went on from
        assertThat(slot.awaitStored(new byte[] {7}, Duration.ofMillis(10))).isFalse();
        relay.release(upload, 100);
        assertThat(relay.size()).isZero();
        relay.stored(upload, 100, new byte[] {2}); // nobody waits: nothing is kept
        assertThat(relay.size()).isZero();
    }

    /**
     * A chunk streaming without the digest (it came after a gap) hands nothing over at its end: the chunk waiting there
     * goes on at once, and one that comes later does not wait at all (each waited the whole hand-off wait for
     * nothing when chunks came shuffled and in parallel).
     */
    @Test
    void aChunkWithoutTheDigestLetsTheOneAfterItGoOnAtOnce() {
        relay.receiving(upload, 64);
        DigestRelay.Slot waiting = relay.waitAt(upload, 96);
        long started = System.nanoTime();
        relay.noHandOver(upload, 96);
        assertThat(waiting.awaitHashed(Duration.ofSeconds(5))).isNull();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
        assertThat(relay.noneComing(upload, 96)).isTrue();
        assertThat(relay.noneComing(upload, 64)).isFalse();
        relay.release(upload, 96);
        relay.done(upload, 64, 96);
        assertThat(relay.noneComing(upload, 96)).as("its request ended").isFalse();
        assertThat(relay.size()).isZero();
    }

    /**
     * The state a chunk went on from (hashed by the request of the chunk before, in its network blocks) and the
     * state stored at its start by the advancer (which read that chunk back in pieces of its own) are over the same
     * bytes but encode differently: the chunk must still count with its digest. It did not, and neither did any
     * chunk after it: each was read back (913 MiB of a 1 GiB upload in one benchmark run).
     */
    @Test
    void theSameBytesHashedInOtherPiecesAreTheSameStoredDigest() {
        byte[] file = new byte[3 * 1024 * 1024 + 100];
        new java.util.Random(5).nextBytes(file);
        var asReceived = org.bouncycastle.crypto.digests.SHA256Digest.newInstance();
        for (int at = 0; at < file.length; at += 262_144 - 13) { // a request body's blocks
            asReceived.update(file, at, Math.min(262_144 - 13, file.length - at));
        }
        var readBack = org.bouncycastle.crypto.digests.SHA256Digest.newInstance();
        for (int at = 0; at < file.length; at += 100_000) { // the advancer's reads
            readBack.update(file, at, Math.min(100_000, file.length - at));
        }
        byte[] handedOver = asReceived.getEncodedState();
        byte[] stored = readBack.getEncodedState();
        assertThat(handedOver).as("the encodings differ (the reason for this test)").isNotEqualTo(stored);

        DigestRelay.Slot slot = relay.waitAt(upload, file.length);
        relay.stored(upload, file.length, stored);
        assertThat(slot.awaitStored(handedOver, Duration.ofMillis(10))).isTrue();

        var otherBytes = org.bouncycastle.crypto.digests.SHA256Digest.newInstance();
        file[17] ^= 1;
        otherBytes.update(file, 0, file.length);
        assertThat(slot.awaitStored(otherBytes.getEncodedState(), Duration.ofMillis(10))).isFalse();
        assertThat(DigestRelay.samePrefix(handedOver, null)).isFalse();
        assertThat(DigestRelay.samePrefix(handedOver, new byte[] {1, 2, 3})).isFalse();
        relay.release(upload, file.length);
    }
}
