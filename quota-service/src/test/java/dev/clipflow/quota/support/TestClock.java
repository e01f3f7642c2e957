package dev.clipflow.quota.support;

import dev.clipflow.testinfra.time.MovableClock;
import jakarta.inject.Singleton;

/** Replaces the service's clock in tests: real time plus an adjustable offset. */
@Singleton
public class TestClock extends MovableClock {
}
