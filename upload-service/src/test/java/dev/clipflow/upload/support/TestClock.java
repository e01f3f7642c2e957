package dev.clipflow.upload.support;

import dev.clipflow.testinfra.time.MovableClock;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;

/** A clock tests can move forward (expiry); replaces the system clock in tests. */
public final class TestClock extends MovableClock {

    private static final TestClock INSTANCE = new TestClock();

    public static TestClock get() {
        return INSTANCE;
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
