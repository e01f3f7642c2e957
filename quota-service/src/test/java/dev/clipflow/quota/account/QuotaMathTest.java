package dev.clipflow.quota.account;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class QuotaMathTest {

    @Test
    void percentHasOneDecimal() {
        assertThat(QuotaMath.percent(0, 100)).isEqualTo(0.0);
        assertThat(QuotaMath.percent(1, 3)).isEqualTo(33.3);
        assertThat(QuotaMath.percent(150, 100)).isEqualTo(150.0);
        assertThat(QuotaMath.percent(5, 0)).isEqualTo(100.0);
        assertThat(QuotaMath.percent(0, 0)).isEqualTo(0.0);
    }

    @Test
    void thresholdsAreReachedAtExactlyTheirPercentage() {
        assertThat(QuotaMath.reached(79, 100, 80)).isFalse();
        assertThat(QuotaMath.reached(80, 100, 80)).isTrue();
        assertThat(QuotaMath.reached(99, 100, 100)).isFalse();
        assertThat(QuotaMath.reached(100, 100, 100)).isTrue();
        assertThat(QuotaMath.reached(0, 0, 80)).isFalse();
        assertThat(QuotaMath.reached(1, 0, 100)).isTrue();
    }

    @Test
    void periodsAreCalendarMonthsInUtc() {
        Instant start = QuotaMath.periodStart(Instant.parse("2026-02-28T23:59:59Z"));
        assertThat(start).isEqualTo(Instant.parse("2026-02-01T00:00:00Z"));
        assertThat(QuotaMath.periodEnd(start)).isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
        assertThat(QuotaMath.periodStart(Instant.parse("2026-12-31T12:00:00Z")))
                .isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
        assertThat(QuotaMath.periodEnd(Instant.parse("2026-12-01T00:00:00Z")))
                .isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
    }
}
