package dev.clipflow.transcode.media;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.nio.file.Files;

/** Ready only when ffmpeg and ffprobe are there and executable (a worker without them can do nothing). */
@Readiness
@ApplicationScoped
public class FfmpegHealthCheck implements HealthCheck {

    private final FfmpegBinaries binaries;

    public FfmpegHealthCheck(FfmpegBinaries binaries) {
        this.binaries = binaries;
    }

    @Override
    public HealthCheckResponse call() {
        try {
            boolean ok = Files.isExecutable(binaries.ffmpeg()) && Files.isExecutable(binaries.ffprobe());
            return HealthCheckResponse.named("ffmpeg").status(ok).build();
        } catch (RuntimeException e) {
            return HealthCheckResponse.named("ffmpeg").down().withData("reason", "executables not found").build();
        }
    }
}
