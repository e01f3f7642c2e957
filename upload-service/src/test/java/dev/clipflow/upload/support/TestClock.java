package dev.clipflow.upload.support;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock tests can move forward (expiry); replaces the system clock in tests. */
public final class TestClock extends Clock {

    private static final TestClock INSTANCE = new TestClock();
    private volatile Duration offset = Duration.ZERO;

    public static TestClock get() {
        return INSTANCE;
    }

    public void advance(Duration by) {
        offset = offset.plus(by);
    }

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

    /** The CDI producer that installs it. */
    @Singleton
    public static class Producer {
        @Produces
        @Alternative
        @Priority(10)
        @Singleton
        Clock clock() {
            return INSTANCE;
        }
    }
}
