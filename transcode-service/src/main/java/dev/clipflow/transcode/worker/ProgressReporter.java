package dev.clipflow.transcode.worker;

import dev.clipflow.transcode.media.Progress;

import java.time.Duration;
import java.util.function.IntConsumer;

/**
 * Turns ffmpeg's frequent progress callbacks into job updates: at most one per interval, unless
 * progress moved by at least the step. Never goes back, and stays below 100 until the job succeeded.
 */
public final class ProgressReporter implements Progress {

    private final IntConsumer sink;
    private final long intervalNanos;
    private final int step;
    private int lastPercent;
    private long lastNanos = System.nanoTime();

    public ProgressReporter(IntConsumer sink, Duration interval, int step) {
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
            sink.accept(percent);
        }
    }
}
