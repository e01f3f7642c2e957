package dev.clipflow.quota.account;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;

/**
 * The quota arithmetic, pure: percentages, threshold crossings and monthly bandwidth periods.
 * The MongoDB filters in {@link QuotaRepository} express the same rules.
 */
public final class QuotaMath {

    /** The alert thresholds in percent, lowest first. */
    public static final int[] THRESHOLDS = {80, 100};

    /** The threshold from which {@code alert} is true in the API. */
    public static final int ALERT_PERCENT = 80;

    private QuotaMath() {
    }

    /** Usage in percent of the limit, one decimal; a zero limit with any usage is 100 %. */
    public static double percent(long usage, long limit) {
        if (limit <= 0) {
            return usage > 0 ? 100.0 : 0.0;
        }
        return Math.round(usage * 1000.0 / limit) / 10.0;
    }

    /** Whether usage is at or above {@code threshold} percent of the limit (never for zero usage). */
    public static boolean reached(long usage, long limit, int threshold) {
        return usage > 0 && usage * 100 >= limit * threshold;
    }

    /** Start (inclusive) of the monthly bandwidth period containing {@code now}, UTC. */
    public static Instant periodStart(Instant now) {
        YearMonth month = YearMonth.from(now.atOffset(ZoneOffset.UTC));
        return month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    }

    /** End (exclusive) of the monthly period starting at {@code periodStart}. */
    public static Instant periodEnd(Instant periodStart) {
        LocalDate first = periodStart.atOffset(ZoneOffset.UTC).toLocalDate();
        return first.plusMonths(1).withDayOfMonth(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    }
}
