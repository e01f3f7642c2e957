package dev.clipflow.transcode.media;

/**
 * Lets a worker stop the ffmpeg process of a job (cancellation, shutdown). The media tool
 * registers how to stop what it is running; {@link #abort()} stops it and every later step.
 */
public final class Abort {

    private volatile boolean aborted;
    private volatile Runnable stopper;

    /** Thrown by a step that was stopped. */
    public static final class AbortedException extends RuntimeException {
        public AbortedException() {
            super("aborted", null, false, false);
        }
    }

    public boolean aborted() {
        return aborted;
    }

    public void abort() {
        aborted = true;
        Runnable current = stopper;
        if (current != null) {
            current.run();
        }
    }

    /** Called by the media tool around each process. */
    public void running(Runnable stop) {
        stopper = stop;
        if (aborted && stop != null) {
            stop.run();
        }
    }

    public void check() {
        if (aborted) {
            throw new AbortedException();
        }
    }
}
