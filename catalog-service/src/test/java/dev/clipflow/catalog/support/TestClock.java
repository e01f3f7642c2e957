package dev.clipflow.catalog.support;

import dev.clipflow.testinfra.time.MovableClock;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;

/** A clock tests can move forward (share-link expiry); replaces the service's default clock. */
public final class TestClock extends MovableClock {

    private static final TestClock INSTANCE = new TestClock();

    public static TestClock get() {
        return INSTANCE;
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
