package dev.clipflow.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * One line on standard error, redrawn in place at most five times a second:
 * {@code name [#####-----]  45%  12.3 MiB / 27.0 MiB  3.2 MiB/s  ETA 0:05}. The rate counts the bytes
 * sent in this run only, so a resumed upload does not claim the bytes of an earlier run.
 */
final class ProgressBar {

    private static final int WIDTH = 24;

    private final PrintWriter err;
    private final boolean enabled;
    private final long total;
    private final long startedAt = System.nanoTime();
    private String label = "";
    private long alreadyThere;
    private long done;
    private long drawnAt;

    ProgressBar(PrintWriter err, boolean enabled, long total) {
        this.err = err;
        this.enabled = enabled;
        this.total = total;
    }

    /** Bytes that were on the server before this run began (resume). */
    synchronized void alreadyThere(long bytes) {
        alreadyThere += bytes;
        done += bytes;
        draw(false);
    }

    synchronized void label(String label) {
        this.label = label;
        draw(true);
    }

    synchronized void advance(long bytes) {
        done += bytes;
        draw(false);
    }

    synchronized void finish() {
        draw(true);
        if (enabled) {
            err.println();
        }
    }

    private void draw(boolean force) {
        long now = System.nanoTime();
        if (!enabled || (!force && now - drawnAt < 200_000_000L && done < total)) {
            return;
        }
        drawnAt = now;
        err.print('\r' + line(now) + "   ");
        err.flush();
    }

    String line(long now) {
        double fraction = total == 0 ? 1 : Math.min(1, (double) done / total);
        int filled = (int) Math.round(fraction * WIDTH);
        double seconds = Math.max(0.001, (now - startedAt) / 1e9);
        double rate = (done - alreadyThere) / seconds;
        String eta = rate <= 0 ? "--:--" : clock((long) Math.ceil((total - done) / rate));
        return String.format(Locale.ROOT, "%s [%s%s] %3d%%  %s / %s  %s/s  ETA %s", label, "#".repeat(filled),
                "-".repeat(WIDTH - filled), (int) Math.floor(fraction * 100), bytes(done), bytes(total),
                bytes((long) rate), eta);
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int unit = -1;
        while (v >= 1024 && unit < units.length - 1) {
            v /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[unit]);
    }

    static String clock(long seconds) {
        return seconds >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
                : String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }
}
