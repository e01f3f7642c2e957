package dev.clipflow.transcode.media;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;


/** Ready only when ffmpeg and ffprobe run (a worker without them can do nothing). */
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
            if (binaries.operational()) {
                return HealthCheckResponse.named("ffmpeg").up().build();
            }
            return HealthCheckResponse.named("ffmpeg").down().withData("reason", String.valueOf(binaries.problem()))
                    .build();
        } catch (RuntimeException e) {
            return HealthCheckResponse.named("ffmpeg").down().withData("reason", "executables not found").build();
        }
    }
}
