package dev.clipflow.transcode.media;

import com.github.kokorin.jaffree.ffmpeg.FFmpeg;
import com.github.kokorin.jaffree.process.Stopper;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Jaffree's {@link FFmpeg} with a stop that really stops the process. Jaffree's own
 * {@code forceStop()} types {@code qq} on ffmpeg's stdin (ignored under {@code -nostdin}, which a
 * server needs) and completes the future at once, so the caller goes on while ffmpeg keeps
 * writing into a scratch folder that is being deleted. {@link #kill()} sends SIGKILL instead; the
 * execution's future then completes only once the process has exited (non-zero status). Started
 * through {@code setpriv --pdeathsig KILL} where available, ffmpeg does not outlive its JVM.
 */
final class KillableFFmpeg extends FFmpeg {

    private final Killer killer = new Killer();
    private final Path ffmpeg;
    private final boolean wrapped;

    /**
     * @param wrapper {@code setpriv}, to start ffmpeg with the parent-death signal SIGKILL
     *        ({@code prctl(PR_SET_PDEATHSIG)}): when the JVM dies, even by kill -9, the kernel kills ffmpeg
     *        instead of leaving it running as an orphan
     */
    KillableFFmpeg(Path executable, Optional<Path> wrapper) {
        super(wrapper.orElse(executable));
        this.ffmpeg = executable;
        this.wrapped = wrapper.isPresent();
    }

    @Override
    protected List<String> buildArguments() {
        List<String> arguments = super.buildArguments();
        if (!wrapped) {
            return arguments;
        }
        List<String> all = new ArrayList<>(List.of("--pdeathsig", "KILL", "--", ffmpeg.toString()));
        all.addAll(arguments);
        return all;
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
