package dev.clipflow.upload.probe;

import dev.clipflow.storage.local.LocalBlobStore;
import dev.clipflow.upload.config.UploadConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Completing an upload on a remote store (GCS) probes the original in place: ffprobe reads the parts it
 * needs through ranged reads of the store, instead of the whole file being downloaded into the pod's
 * small /tmp first (a video of a few hundred MB evicted the pod).
 */
class ProbeInPlaceTest {

    @TempDir
    Path dir;

    @Test
    void aVideoReadInPlaceIsProbedLikeTheFileWithoutReadingItWhole() throws Exception {
        Path video = cbrVideo(dir.resolve("long.mp4"));
        LocalBlobStore store = new LocalBlobStore(dir.resolve("blobs"));
        long size = Files.size(video);
        store.putFile("originals/long.mp4", video, "video/mp4");
        FfprobeMediaProbe probe = new FfprobeMediaProbe(config());

        MediaProbe.Result fromFile = probe.probe(video);
        MediaProbe.Result inPlace;
        long read;
        try (BlobChannel channel = new BlobChannel(store, "originals/long.mp4", size)) {
            inPlace = probe.probe(channel, "originals/long.mp4");
            read = channel.bytesRead();
        }

        assertThat(inPlace.video()).isTrue();
        assertThat(inPlace).isEqualTo(fromFile);
        assertThat(inPlace.width()).isEqualTo(160);
        assertThat(inPlace.durationSeconds()).isBetween(19.0, 21.0);
        // ffprobe reads the header, the index at the end and a few MB of packets (its probesize)
        assertThat(size).isGreaterThan(30_000_000L);
        assertThat(read).as("bytes read of %d", size).isPositive().isLessThan(size / 4);
    }

    /**
     * A tus concatenation on the local store is an object stored as parts: ffprobe reads the parts as one file (its
     * concat protocol), and answers what it answers for the whole file; parts of no video are rejected.
     */
    @Test
    void aVideoStoredAsPartsIsProbedLikeTheWholeFile() throws Exception {
        Path video = cbrVideo(dir.resolve("long.mp4"));
        byte[] bytes = Files.readAllBytes(video);
        java.util.List<Path> parts = new java.util.ArrayList<>();
        int[] cuts = {0, 1_000, bytes.length / 2, bytes.length - 5_000, bytes.length};
        for (int p = 0; p + 1 < cuts.length; p++) {
            Path part = dir.resolve("part-" + p);
            Files.write(part, java.util.Arrays.copyOfRange(bytes, cuts[p], cuts[p + 1]));
            parts.add(part);
        }
        FfprobeMediaProbe probe = new FfprobeMediaProbe(config());

        MediaProbe.Result fromParts = probe.probe(parts);

        assertThat(fromParts.video()).isTrue();
        assertThat(fromParts).isEqualTo(probe.probe(video));
        Path text = dir.resolve("notes");
        Files.writeString(text, "just some text, no video at all\n".repeat(1000));
        assertThat(probe.probe(java.util.List.of(text, text)).video()).isFalse();
    }

    @Test
    void somethingThatIsNoVideoIsRejectedInPlaceToo() throws Exception {
        LocalBlobStore store = new LocalBlobStore(dir.resolve("blobs"));
        byte[] text = "just some text, no video at all\n".repeat(1000).getBytes();
        store.put("originals/notes.mp4", new java.io.ByteArrayInputStream(text), text.length, "video/mp4");
        try (BlobChannel channel = new BlobChannel(store, "originals/notes.mp4", text.length)) {
            MediaProbe.Result result = new FfprobeMediaProbe(config()).probe(channel, "originals/notes.mp4");
            assertThat(result.video()).isFalse();
            assertThat(result.reason()).startsWith("The file is not a video");
        }
    }

    /**
     * A 20-second clip at a constant 16 Mbit/s (x264 filler data), about 40 MB in a second of encoding:
     * big enough that reading it whole and reading what a probe needs differ clearly.
     */
    private static Path cbrVideo(Path target) throws Exception {
        String ffmpeg = org.bytedeco.javacpp.Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
        Process process = new ProcessBuilder(ffmpeg, "-hide_banner", "-loglevel", "error", "-y",
                "-f", "lavfi", "-i", "testsrc=duration=20:size=160x120:rate=15",
                "-f", "lavfi", "-i", "sine=frequency=440:duration=20",
                "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
                "-b:v", "16M", "-minrate", "16M", "-maxrate", "16M", "-bufsize", "2M", "-x264-params", "nal-hrd=cbr:filler=1",
                "-c:a", "aac", "-shortest", target.toString()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as(output).isZero();
        return target;
    }

    /** The two settings the probe reads: the bundled ffprobe and a minute to answer. */
    private static UploadConfig config() {
        return (UploadConfig) Proxy.newProxyInstance(UploadConfig.class.getClassLoader(), new Class<?>[] {UploadConfig.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "ffprobePath" -> Optional.empty();
                    case "probeTimeout" -> Duration.ofSeconds(60);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
