package dev.clipflow.quota.reservation;

import dev.clipflow.contracts.problem.ProblemException;
import dev.clipflow.quota.account.QuotaRepository;
import dev.clipflow.quota.reservation.service.Reservation;
import dev.clipflow.quota.reservation.service.ReservationService;
import dev.clipflow.quota.support.Alerts;
import dev.clipflow.quota.usage.service.QuotaService;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
class ReservationConcurrencyTest {

    @Inject
    ReservationService reservations;

    @Inject
    QuotaService quotas;

    @Inject
    QuotaRepository repository;

    @Test
    void sixtyFourThreadsRacingNeverPassTheLimit() throws Exception {
        UUID user = UUID.randomUUID();
        long limit = 100_000;
        long bytes = 400;
        quotas.setLimits(user, limit, 1_000_000);
        AtomicInteger next = new AtomicInteger();
        AtomicInteger granted = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(64);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < 64; t++) {
                workers.add(pool.submit(() -> {
                    start.await();
                    while (next.getAndIncrement() < 1000) {
                        try {
                            reservations.reserve(new Reservation(UUID.randomUUID(), user, bytes, UUID.randomUUID(),
                                    "race.mp4", null));
                            granted.incrementAndGet();
                        } catch (ProblemException e) {
                            assertThat(e.problem().code()).isEqualTo("quota.storage_exceeded");
                            refused.incrementAndGet();
                        }
                        var storage = quotas.view(user).storage();
                        assertThat(storage.usedBytes() + storage.reservedBytes()).isLessThanOrEqualTo(limit);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> worker : workers) {
                worker.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(granted.get()).isEqualTo((int) (limit / bytes));
        assertThat(refused.get()).isEqualTo(1000 - (int) (limit / bytes));
        var storage = quotas.view(user).storage();
        assertThat(storage.reservedBytes()).isEqualTo(limit);
        assertThat(repository.reservationCount(user)).isEqualTo(250);
        // 64 threads crossed 80 % and 100 % together: still exactly one alert per threshold.
        assertThat(Alerts.summary(repository, user)).containsExactly("STORAGE 80", "STORAGE 100");
    }
}
