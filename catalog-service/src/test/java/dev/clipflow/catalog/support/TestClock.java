package dev.clipflow.catalog.support;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock tests can move forward (share-link expiry); replaces the service's default clock. */
public final class TestClock extends Clock {

    private static final TestClock INSTANCE = new TestClock();
    private volatile Duration offset = Duration.ZERO;

    public static TestClock get() {
        return INSTANCE;
    }

    public void advance(Duration by) {
        offset = offset.plus(by);
    }

    public void reset() {
        offset = Duration.ZERO;
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

    @ApplicationScoped
    public static class Producer {

        @Produces
        @Singleton
        Clock clock() {
            return INSTANCE;
        }
    }
}
