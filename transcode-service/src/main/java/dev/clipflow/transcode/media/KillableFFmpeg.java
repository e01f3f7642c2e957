package dev.clipflow.transcode.media;

import com.github.kokorin.jaffree.ffmpeg.FFmpeg;
import com.github.kokorin.jaffree.process.Stopper;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * Jaffree's {@link FFmpeg} with a stop that really stops the process. Jaffree's own
 * {@code forceStop()} types {@code qq} on ffmpeg's stdin (ignored under {@code -nostdin}, which a
 * server needs) and completes the future at once, so the caller goes on while ffmpeg keeps
 * writing into a scratch folder that is being deleted. {@link #kill()} sends SIGKILL instead; the
 * execution's future then completes only once the process has exited (non-zero status).
 */
final class KillableFFmpeg extends FFmpeg {

    private final Killer killer = new Killer();

    KillableFFmpeg(Path executable) {
        super(executable);
    }

    @Override
    protected Stopper createStopper() {
        return killer;
    }

    /** The ffmpeg process, once Jaffree has started it. */
    CompletableFuture<Process> started() {
        return killer.started;
    }

    /** Kills the running process (or the one about to start); idempotent. */
    void kill() {
        killer.forceStop();
    }

    private static final class Killer implements Stopper {

        private final CompletableFuture<Process> started = new CompletableFuture<>();
        private volatile Process process;
        private volatile boolean killed;

        @Override
        public void graceStop() {
            forceStop();
        }

        @Override
        public void forceStop() {
            killed = true;
            Process current = process;
            if (current != null) {
                current.destroyForcibly();
            }
        }

        @Override
        public void setProcess(Process process) {
            this.process = process;
            started.complete(process);
            if (killed) {
                process.destroyForcibly();
            }
        }
    }
}
