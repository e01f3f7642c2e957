package dev.clipflow.testinfra.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A UTC clock that runs with real time but can be moved forward or set, for tests of expiry,
 * sweeps and period roll-overs. Each service wires one into CDI its own way (a producer, an
 * alternative or a singleton subclass); the clock logic lives here once.
 */
public class MovableClock extends Clock {

    private volatile Duration offset = Duration.ZERO;

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(offset);
    }

    /** Moves the clock forward (or back, with a negative duration). */
    public void advance(Duration by) {
        offset = offset.plus(by);
    }

    /** Makes the clock read {@code instant} now, and run on from there. */
    public void set(Instant instant) {
        offset = Duration.between(Instant.now(), instant);
    }

    /** Back to real time. */
    public void reset() {
        offset = Duration.ZERO;
    }
}
