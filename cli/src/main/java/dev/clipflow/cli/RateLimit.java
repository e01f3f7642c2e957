package dev.clipflow.cli;

/** {@code --limit-rate}: callers wait so that the bytes sent since the start stay under the rate. */
final class RateLimit {

    private final long bytesPerSecond;
    private final long startedAt = System.nanoTime();
    private long granted;

    RateLimit(long bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
    }

    void acquire(long bytes) throws InterruptedException {
        if (bytesPerSecond <= 0) {
            return;
        }
        long due;
        synchronized (this) {
            granted += bytes;
            due = startedAt + (long) (granted * 1e9 / bytesPerSecond);
        }
        long wait = due - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }

    /** {@code 500k}, {@code 2M}, {@code 1g} or plain bytes (per second); 0 means no limit. */
    static long parse(String value) {
        String v = value.trim().toLowerCase(java.util.Locale.ROOT);
        long factor = 1;
        if (v.endsWith("k")) {
            factor = 1024;
        } else if (v.endsWith("m")) {
            factor = 1024 * 1024;
        } else if (v.endsWith("g")) {
            factor = 1024L * 1024 * 1024;
        }
        try {
            return Long.parseLong(factor == 1 ? v : v.substring(0, v.length() - 1)) * factor;
        } catch (NumberFormatException e) {
            throw new CliException(ExitCodes.USAGE, "Not a size: " + value + " (e.g. 500k, 2M)");
        }
    }
}
