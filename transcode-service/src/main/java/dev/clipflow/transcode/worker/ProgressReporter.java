package dev.clipflow.transcode.worker;

import dev.clipflow.transcode.media.Progress;

import java.time.Duration;

/**
 * Turns ffmpeg's frequent progress callbacks into job updates: at most one per interval, unless
 * progress moved by at least the step. Never goes back, and stays below 100 until the job succeeded.
 * Each update carries an estimate of the seconds left, from the pace since the reporter was made.
 */
public final class ProgressReporter implements Progress {

    /** Receives the throttled updates. */
    @FunctionalInterface
    public interface Sink {
        /** @param etaSeconds seconds left at the pace so far, null when too early to tell */
        void report(int percent, Integer etaSeconds);
    }

    /** No estimate before this much of the job is done (the first seconds are fetch and probe, not pace). */
    private static final double MIN_FRACTION_FOR_ETA = 0.03;

    private final Sink sink;
    private final long intervalNanos;
    private final int step;
    private final long startNanos = System.nanoTime();
    private int lastPercent;
    private long lastNanos = startNanos;

    public ProgressReporter(Sink sink, Duration interval, int step) {
        this.sink = sink;
        this.intervalNanos = interval.toNanos();
        this.step = Math.max(1, step);
    }

    @Override
    public synchronized void update(double fraction) {
        int percent = (int) Math.min(99, Math.max(0, Math.floor(fraction * 100)));
        if (percent <= lastPercent) {
            return;
        }
        long now = System.nanoTime();
        if (percent - lastPercent >= step || now - lastNanos >= intervalNanos) {
            lastPercent = percent;
            lastNanos = now;
            sink.report(percent, eta(fraction, now - startNanos));
        }
    }

    /** Seconds left if the rest goes at the pace so far: elapsed x (1 - f) / f. */
    static Integer eta(double fraction, long elapsedNanos) {
        if (fraction < MIN_FRACTION_FOR_ETA || fraction >= 1 || elapsedNanos <= 0) {
            return null;
        }
        double seconds = elapsedNanos / 1e9 * (1 - fraction) / fraction;
        return (int) Math.min(Integer.MAX_VALUE, Math.ceil(seconds));
    }
}
