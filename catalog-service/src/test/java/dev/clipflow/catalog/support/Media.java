package dev.clipflow.catalog.support;

import org.bytedeco.javacpp.Loader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Real FFmpeg output, made once per test run with the bytedeco FFmpeg 8 binary: a 3 s 320x240
 * H.264/AAC MP4 (faststart), an HLS tree (master playlist, one 240p rendition of 1 s segments),
 * a JPEG thumbnail, a storyboard as transcode-service makes it (a 2x1 sprite of 160x120 tiles, one every 2 s,
 * and its WebVTT) and the audio-only download (the MP4's AAC alone in an M4A, faststart).
 */
public final class Media {

    public static final double DURATION = 3.0;
    private static volatile Media instance;

    public final Path dir;
    public final Path mp4;
    public final Path thumbnail;
    public final Path hls;
    public final Path storyboardVtt;
    public final Path storyboardSprite;
    public final Path audio;

    private Media(Path dir) {
        this.dir = dir;
        this.mp4 = dir.resolve("video.mp4");
        this.thumbnail = dir.resolve("thumbnail.jpg");
        this.hls = dir.resolve("hls");
        this.storyboardVtt = dir.resolve("storyboard.vtt");
        this.storyboardSprite = dir.resolve("storyboard.jpg");
        this.audio = dir.resolve("audio.m4a");
    }

    public static synchronized Media get() {
        if (instance == null) {
            try {
                Media media = new Media(Files.createTempDirectory("clipflow-media-"));
                media.generate();
                instance = media;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    /** The files of the HLS tree relative to its root (master.m3u8, 240p/index.m3u8, 240p/seg_000.ts, ...). */
    public List<String> hlsFiles() {
        try (Stream<Path> files = Files.walk(hls)) {
            return files.filter(Files::isRegularFile).map(p -> hls.relativize(p).toString().replace('\\', '/'))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void generate() throws IOException {
        String ffmpeg = Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
        run(ffmpeg, "-y", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25", "-f", "lavfi", "-i",
                "sine=frequency=440:sample_rate=44100", "-t", String.valueOf(DURATION), "-c:v", "libx264",
                "-pix_fmt", "yuv420p", "-g", "25", "-c:a", "aac", "-movflags", "+faststart", mp4.toString());
        Path rendition = hls.resolve("240p");
        Files.createDirectories(rendition);
        run(ffmpeg, "-y", "-i", mp4.toString(), "-c", "copy", "-f", "hls", "-hls_time", "1",
                "-hls_playlist_type", "vod", "-hls_segment_filename", rendition.resolve("seg_%03d.ts").toString(),
                rendition.resolve("index.m3u8").toString());
        Files.writeString(hls.resolve("master.m3u8"), """
                #EXTM3U
                #EXT-X-VERSION:3
                #EXT-X-STREAM-INF:BANDWIDTH=400000,RESOLUTION=320x240,CODECS="avc1.64000d,mp4a.40.2"
                240p/index.m3u8
                """, StandardCharsets.UTF_8);
        run(ffmpeg, "-y", "-i", mp4.toString(), "-ss", "1", "-frames:v", "1", thumbnail.toString());
        run(ffmpeg, "-y", "-i", mp4.toString(), "-vf", "fps=1/2:round=up,trim=end_frame=2,scale=160:120,tile=2x1",
                "-frames:v", "1", "-update", "1", storyboardSprite.toString());
        Files.writeString(storyboardVtt, """
                WEBVTT

                00:00:00.000 --> 00:00:02.000
                storyboard.jpg#xywh=0,0,160,120

                00:00:02.000 --> 00:00:03.000
                storyboard.jpg#xywh=160,0,160,120
                """, StandardCharsets.UTF_8);
        run(ffmpeg, "-y", "-i", mp4.toString(), "-map", "0:a:0", "-c", "copy", "-f", "ipod", "-movflags",
                "+faststart", audio.toString());
    }

    private void run(String... command) throws IOException {
        Path log = dir.resolve("ffmpeg.log");
        Process process = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        try {
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("ffmpeg failed: " + Files.readString(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
