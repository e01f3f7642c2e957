package dev.clipflow.transcode.media;

import dev.clipflow.transcode.ladder.LadderPlanner;
import dev.clipflow.transcode.ladder.Rung;
import dev.clipflow.transcode.ladder.RungSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The media operations against the real FFmpeg 8 binaries, on clips made by lavfi. */
class FfmpegMediaToolTest {

    private static final LadderPlanner DEFAULT_LADDER = new LadderPlanner(
            RungSpec.parse(List.of("480:1400", "720:2800", "1080:5000")));
    private static final LadderPlanner SMALL_LADDER = new LadderPlanner(
            RungSpec.parse(List.of("144:300", "240:500", "360:800")));

    private static FfmpegMediaTool tool;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp() {
        tool = new FfmpegMediaTool(TestClips.binaries(),
                new FfmpegMediaTool.Settings("ultrafast", 28, 96, 1, 60, 180));
    }

    @Test
    void fullHdSourceGivesThreeRungsMp4AndPlayableHls() throws Exception {
        Path source = TestClips.mp4(dir, "hd.mp4", 1920, 1080, 1.2, true);
        MediaInfo info = tool.probe(source);
        assertThat(info.width()).isEqualTo(1920);
        assertThat(info.height()).isEqualTo(1080);
        assertThat(info.videoCodec()).isEqualTo("h264");
        assertThat(info.audioCodec()).isEqualTo("aac");
        List<Rung> rungs = DEFAULT_LADDER.plan(info.displayWidth(), info.displayHeight());
        assertThat(rungs).extracting(Rung::name).containsExactly("480p", "720p", "1080p");

        List<Double> seen = new CopyOnWriteArrayList<>();
        LadderOutput out = tool.encodeLadder(source, info, rungs, dir.resolve("out"), seen::add, new Abort());

        MediaInfo mp4 = tool.probe(out.mp4());
        assertThat(mp4.videoCodec()).isEqualTo("h264");
        assertThat(mp4.audioCodec()).isEqualTo("aac");
        assertThat(mp4.height()).isEqualTo(1080);
        assertThat(mp4.durationSeconds()).isCloseTo(1.2, within(0.15));
        assertFastStart(out.mp4());
        assertThat(seen).isNotEmpty().last().isEqualTo(1.0);
        assertHls(out, rungs, true);
        // a very short source: one tile (of 160x90), its cue the whole video
        assertStoryboard(out, info, 2, 1);
    }

    /** A long source: past 200 s the interval grows (ceil(250 / 100) = 3 s), 84 tiles in a 10x9 grid. */
    @Test
    void aLongSourcesStoryboardKeepsToTheCapWithALongerInterval() throws Exception {
        // large enough that the pass lasts a few of ffmpeg's half-second progress reports
        Path source = TestClips.slow(dir, "long.mp4", 640, 360, 250, 4);
        MediaInfo info = tool.probe(source);
        List<Double> seen = new CopyOnWriteArrayList<>();
        LadderOutput out = tool.encodeLadder(source, info, SMALL_LADDER.plan(info.displayWidth(), info.displayHeight()),
                dir.resolve("out"), seen::add, new Abort());
        assertStoryboard(out, info, 3, 84);
        // progress is reported while the pass runs, not only at its end (ffmpeg reports none for any output
        // until every output has started: a sprite made in the pass started only when its grid was full)
        assertThat(seen).as("progress during the pass: %s", seen).anyMatch(p -> p > 0 && p < 0.9);
        assertThat(jpegSize(out.storyboardSprite())).containsExactly(10 * 160, 9 * 90);
    }

    /**
     * A source whose picture starts a little after its sound (a re-encoded trim, AAC priming): the storyboard still
     * has its first tile at 0. Before the fix the storyboard branch put the first picture into the second slot
     * (fps rounds its time up), so a clip shorter than the interval got no picture and the whole ladder failed
     * ("Could not open encoder before EOF").
     */
    @Test
    void aStoryboardOfASourceWhosePictureStartsLateHasItsFirstTile() throws Exception {
        Path source = TestClips.remux(TestClips.mp4(dir, "early-sound.mp4", 320, 180, 1.5, true), dir.resolve("late.mp4"),
                List.of("-itsoffset", "0.1", "-i", TestClips.mp4(dir, "picture.mp4", 320, 180, 1.5, false).toString(),
                        "-map", "1:v", "-map", "0:a", "-c", "copy"));
        MediaInfo info = tool.probe(source);
        LadderOutput out = tool.encodeLadder(source, info, SMALL_LADDER.plan(info.displayWidth(), info.displayHeight()),
                dir.resolve("out"), Progress.NONE, new Abort());
        assertStoryboard(out, info, 2, 1);
    }

    @Test
    void theStoryboardCanBeTurnedOff() {
        FfmpegMediaTool plain = new FfmpegMediaTool(TestClips.binaries(),
                new FfmpegMediaTool.Settings("ultrafast", 28, 96, 1, 60, 180).withoutStoryboard());
        Path source = TestClips.mp4(dir, "plain.mp4", 320, 180, 1, false);
        MediaInfo info = plain.probe(source);
        LadderOutput out = plain.encodeLadder(source, info, SMALL_LADDER.plan(320, 180), dir.resolve("out"),
                Progress.NONE, new Abort());
        assertThat(out.hasStoryboard()).isFalse();
        assertThat(out.storyboardSprite()).doesNotExist();
    }

    /**
     * The storyboard as a player reads it: cues from 0 to the video's end with no gap and no overlap, every
     * rectangle inside the sprite JPEG's real size (ffprobe), {@code tiles} cues of {@code interval} seconds.
     */
    private static void assertStoryboard(LadderOutput out, MediaInfo source, int interval, int tiles) throws Exception {
        assertThat(out.hasStoryboard()).isTrue();
        int[] sprite = jpegSize(out.storyboardSprite());
        List<String> lines = Files.readAllLines(out.storyboardVtt());
        assertThat(lines.get(0)).isEqualTo("WEBVTT");
        List<double[]> cues = new java.util.ArrayList<>();
        java.util.regex.Pattern time = java.util.regex.Pattern.compile(
                "(\\d\\d):(\\d\\d):(\\d\\d\\.\\d{3}) --> (\\d\\d):(\\d\\d):(\\d\\d\\.\\d{3})");
        java.util.regex.Pattern rect = java.util.regex.Pattern.compile("storyboard\\.jpg#xywh=(\\d+),(\\d+),(\\d+),(\\d+)");
        for (int i = 1; i < lines.size(); i++) {
            java.util.regex.Matcher t = time.matcher(lines.get(i));
            if (t.matches()) {
                java.util.regex.Matcher r = rect.matcher(lines.get(i + 1));
                assertThat(r.matches()).as(lines.get(i + 1)).isTrue();
                cues.add(new double[] {seconds(t, 1), seconds(t, 4), Integer.parseInt(r.group(1)),
                        Integer.parseInt(r.group(2)), Integer.parseInt(r.group(3)), Integer.parseInt(r.group(4))});
            }
        }
        assertThat(cues).hasSize(tiles);
        assertThat(cues.get(0)[0]).isZero();
        for (int i = 0; i < cues.size(); i++) {
            double[] cue = cues.get(i);
            assertThat(cue[1]).isGreaterThan(cue[0]);
            if (i > 0) {
                assertThat(cue[0]).as("cue %d starts where %d ends", i, i - 1).isEqualTo(cues.get(i - 1)[1]);
            }
            if (i < cues.size() - 1) {
                assertThat(cue[1] - cue[0]).isCloseTo(interval, within(1e-9));
            }
            assertThat(cue[2] + cue[4]).isLessThanOrEqualTo(sprite[0]);
            assertThat(cue[3] + cue[5]).isLessThanOrEqualTo(sprite[1]);
        }
        assertThat(cues.get(cues.size() - 1)[1]).isCloseTo(source.durationSeconds(), within(0.0006));
    }

    /** A JPEG's real width and height, as an image reader sees them. */
    static int[] jpegSize(Path file) throws Exception {
        BufferedImage image = ImageIO.read(file.toFile());
        assertThat(image).as("a readable image: " + file).isNotNull();
        return new int[] {image.getWidth(), image.getHeight()};
    }

    private static double seconds(java.util.regex.Matcher m, int group) {
        return Integer.parseInt(m.group(group)) * 3600 + Integer.parseInt(m.group(group + 1)) * 60
                + Double.parseDouble(m.group(group + 2));
    }

    /**
     * Segments are told while the ladder is still being encoded, in one pass: ffmpeg reads the source from a
     * FIFO of which only the first two thirds are written until every rendition has told its first segments, so
     * ffmpeg cannot have finished (nothing timed). What was told plays then (an EVENT playlist of existing
     * segments that ffprobe reads), and the final ladder is the VOD one of every segment told.
     */
    @Test
    void segmentsAreToldWhileTheLadderIsStillBeingEncoded() throws Exception {
        Path source = TestClips.remux(TestClips.mp4(dir, "live.mp4", 640, 360, 12, true), dir.resolve("live.ts"),
                List.of("-c", "copy", "-f", "mpegts"));
        MediaInfo info = tool.probe(source);
        List<Rung> rungs = SMALL_LADDER.plan(info.displayWidth(), info.displayHeight());
        assertThat(rungs).extracting(Rung::name).containsExactly("144p", "240p", "360p");
        Path fifo = dir.resolve("live-fifo.ts");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor()).isZero();
        Path out = dir.resolve("live-out");
        java.util.concurrent.BlockingQueue<SegmentListener.Growth> told = new java.util.concurrent.LinkedBlockingQueue<>();
        java.util.concurrent.CompletableFuture<LadderOutput> ladder = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> tool.encodeLadder(fifo, info, rungs, out, Progress.NONE, new Abort(), told::add));

        byte[] bytes = Files.readAllBytes(source);
        // more than ffmpeg's analysis of the input reads (5 s) before it starts
        int half = bytes.length * 2 / 3 / 188 * 188;
        java.util.Map<String, SegmentListener.Growth> first = new java.util.LinkedHashMap<>();
        try (var writer = Files.newOutputStream(fifo)) {
            writer.write(bytes, 0, half);
            writer.flush();
            while (first.size() < rungs.size()) {
                SegmentListener.Growth growth = told.poll(120, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(growth).as("segments told from the first part of the source").isNotNull();
                first.putIfAbsent(growth.rendition().name(), growth);
            }
            // each growing playlist names only finished segments, and plays
            assertThat(first.keySet()).containsExactlyInAnyOrder("144p", "240p", "360p");
            for (SegmentListener.Growth growth : first.values()) {
                assertThat(growth.playlist()).contains("#EXT-X-PLAYLIST-TYPE:EVENT", "#EXT-X-START:TIME-OFFSET=0")
                        .doesNotContain("#EXT-X-ENDLIST");
                assertThat(growth.segments()).hasSize(growth.listed()).allSatisfy(f -> assertThat(f).isNotEmptyFile());
                assertThat(growth.rendition().bandwidth()).isPositive();
                assertThat(growth.rendition().codecs()).startsWith("avc1.").endsWith(",mp4a.40.2");
                assertThat(growth.frameRate()).isPositive();
            }
            Path playlist = out.resolve("hls/144p/growing.m3u8");
            Files.writeString(playlist, first.get("144p").playlist());
            assertThat(ffprobe(playlist)).contains("video,256,144").contains("audio");
            // the top rung is still being encoded: ffmpeg has not ended its playlist
            assertThat(out.resolve("hls/360p/index.m3u8")).content().doesNotContain("#EXT-X-ENDLIST");
            assertThat(ladder).isNotDone();
            Files.delete(playlist);
            writer.write(bytes, half, bytes.length - half);
        }
        LadderOutput result = ladder.get(120, java.util.concurrent.TimeUnit.SECONDS);
        told.drainTo(new java.util.ArrayList<>());

        assertHls(result, rungs, true);
        assertThat(tool.probe(result.mp4()).height()).isEqualTo(360);
        for (Rung rung : rungs) {
            Path playlist = out.resolve("hls").resolve(rung.name()).resolve("index.m3u8");
            assertThat(playlist).content().contains("#EXT-X-PLAYLIST-TYPE:VOD\n").doesNotContain("EVENT", "EXT-X-START");
            assertThat(first.get(rung.name()).segments()).allSatisfy(f -> assertThat(playlist).content()
                    .contains("\n" + f.getFileName() + "\n"));
        }
        try (var files = Files.walk(out)) {
            assertThat(files.map(Path::toString)).noneMatch(f -> f.endsWith(".tmp"));
        }
    }

    /** ffprobe's streams of a file or playlist, one {@code type,width,height} line each. */
    private static String ffprobe(Path file) throws Exception {
        Process probe = new ProcessBuilder(TestClips.binaries().ffprobe().toString(), "-v", "error", "-show_entries",
                "stream=codec_type,width,height", "-of", "csv=p=0", file.toString()).redirectErrorStream(true).start();
        String text = new String(probe.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(probe.waitFor()).as(text).isZero();
        return text;
    }

    /** ffmpeg was waited on without a timeout: a pass that never ends held its worker for ever. */
    @Test
    void aPassBeyondItsWallTimeIsKilledAndFailsWithAClearReason() {
        Path source = TestClips.mp4(dir, "slow.mp4", 320, 240, 2, true);
        FfmpegMediaTool impatient = new FfmpegMediaTool(TestClips.binaries(),
                new FfmpegMediaTool.Settings("ultrafast", 28, 96, 1, 60, 180),
                new TranscodeLimits(java.time.Duration.ofHours(1), 10_000_000, 1_000_000, 0,
                        java.time.Duration.ofMillis(1)));
        MediaInfo info = tool.probe(source);
        Path out = dir.resolve("out");

        assertThatThrownBy(() -> impatient.encodeLadder(source, info, SMALL_LADDER.plan(320, 240), out,
                Progress.NONE, new Abort()))
                .isInstanceOf(MediaException.class)
                .hasMessage("Transcoding took longer than its limit of 1 s for a video of 2 s.")
                .satisfies(e -> assertThat(((MediaException) e).permanent()).isTrue());
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().orElse("").contains(out.toString()))).isEmpty();
    }

    @Test
    void smallSourceGivesOneRung() {
        Path source = TestClips.mp4(dir, "small.mp4", 640, 360, 1, true);
        MediaInfo info = tool.probe(source);
        List<Rung> rungs = DEFAULT_LADDER.plan(info.displayWidth(), info.displayHeight());
        assertThat(rungs).extracting(Rung::name).containsExactly("360p");
        LadderOutput out = tool.encodeLadder(source, info, rungs, dir.resolve("out"), Progress.NONE, new Abort());
        assertHls(out, rungs, true);
        assertThat(tool.probe(out.mp4()).height()).isEqualTo(360);
    }

    @Test
    void webmVp9OpusIsTranscoded() {
        Path source = TestClips.webm(dir, "clip.webm", 320, 240, 1);
        MediaInfo info = tool.probe(source);
        assertThat(info.videoCodec()).isEqualTo("vp9");
        assertThat(info.audioCodec()).isEqualTo("opus");
        List<Rung> rungs = SMALL_LADDER.plan(info.displayWidth(), info.displayHeight());
        LadderOutput out = tool.encodeLadder(source, info, rungs, dir.resolve("out"), Progress.NONE, new Abort());
        MediaInfo mp4 = tool.probe(out.mp4());
        assertThat(mp4.videoCodec()).isEqualTo("h264");
        assertThat(mp4.audioCodec()).isEqualTo("aac");
        assertHls(out, rungs, true);
    }

    @Test
    void sourceWithoutAudioGivesVideoOnlyOutputs() {
        Path source = TestClips.mp4(dir, "silent.mp4", 320, 240, 1, false);
        MediaInfo info = tool.probe(source);
        assertThat(info.hasAudio()).isFalse();
        List<Rung> rungs = SMALL_LADDER.plan(info.displayWidth(), info.displayHeight());
        LadderOutput out = tool.encodeLadder(source, info, rungs, dir.resolve("out"), Progress.NONE, new Abort());
        assertThat(tool.probe(out.mp4()).hasAudio()).isFalse();
        assertHls(out, rungs, false);
    }

    @Test
    void rotatedPhoneVideoIsUprightAndPortrait() {
        Path source = TestClips.rotated(dir, "phone.mp4", 320, 240, 1);
        MediaInfo info = tool.probe(source);
        assertThat(info.rotation()).isIn(90, 270);
        assertThat(info.displayWidth()).isEqualTo(240);
        assertThat(info.displayHeight()).isEqualTo(320);
        List<Rung> rungs = SMALL_LADDER.plan(info.displayWidth(), info.displayHeight());
        assertThat(rungs.get(rungs.size() - 1).height()).isGreaterThan(rungs.get(rungs.size() - 1).width());
        LadderOutput out = tool.encodeLadder(source, info, rungs, dir.resolve("out"), Progress.NONE, new Abort());
        MediaInfo mp4 = tool.probe(out.mp4());
        assertThat(mp4.rotation()).isZero();
        assertThat(mp4.width()).isEqualTo(rungs.get(rungs.size() - 1).width());
        assertThat(mp4.height()).isEqualTo(rungs.get(rungs.size() - 1).height());
    }

    @Test
    void oddSizedVariableFrameRateSourceIsTranscoded() {
        Path source = TestClips.variableFrameRate(dir, "vfr.mp4", 333, 187, 1.5);
        MediaInfo info = tool.probe(source);
        List<Rung> rungs = SMALL_LADDER.plan(info.displayWidth(), info.displayHeight());
        LadderOutput out = tool.encodeLadder(source, info, rungs, dir.resolve("out"), Progress.NONE, new Abort());
        MediaInfo mp4 = tool.probe(out.mp4());
        assertThat(mp4.width() % 2).isZero();
        assertThat(mp4.height() % 2).isZero();
        assertThat(mp4.durationSeconds()).isCloseTo(1.5, within(0.15));
        assertHls(out, rungs, true);
    }

    @Test
    void anamorphicSourceIsScaledToSquarePixels() {
        Path plain = TestClips.mp4(dir, "dv-plain.mp4", 360, 240, 1, false);
        Path source = dir.resolve("dv.mp4");
        // 360x240 coded with 16:9-ish pixels (SAR 32:27) is displayed as 427x240
        TestClips.remux(plain, source, List.of("-c:v", "libx264", "-preset", "ultrafast", "-vf", "setsar=32/27"));
        MediaInfo info = tool.probe(source);
        assertThat(info.displayWidth()).isEqualTo(427);
        List<Rung> rungs = SMALL_LADDER.plan(info.displayWidth(), info.displayHeight());
        LadderOutput out = tool.encodeLadder(source, info, rungs, dir.resolve("out"), Progress.NONE, new Abort());
        MediaInfo mp4 = tool.probe(out.mp4());
        assertThat(mp4.width()).isEqualTo(426);
        assertThat(mp4.height()).isEqualTo(240);
        assertThat(mp4.sampleAspect()).isEqualTo(1.0);
    }

    @Test
    void anAbortKillsFfmpegAndReturnsOnlyOnceItIsGone() throws Exception {
        Path source = TestClips.mp4(dir, "long.mp4", 640, 360, 20, true);
        MediaInfo info = tool.probe(source);
        List<Rung> rungs = SMALL_LADDER.plan(info.displayWidth(), info.displayHeight());
        Abort abort = new Abort();
        Path out = dir.resolve("out");
        long started = System.nanoTime();
        // stopped at ffmpeg's first progress report, as a cancellation or a shutdown would
        assertThatThrownBy(() -> tool.encodeLadder(source, info, rungs, out, p -> abort.abort(), abort))
                .isInstanceOf(Abort.AbortedException.class);
        double seconds = (System.nanoTime() - started) / 1e9;
        assertThat(seconds).isLessThan(10);
        // no ffmpeg is left writing: the outputs do not change any more
        String before = listing(out);
        Thread.sleep(700);
        assertThat(listing(out)).isEqualTo(before);
        assertThat(ProcessHandle.current().descendants()
                .filter(p -> p.info().command().orElse("").endsWith("ffmpeg")).filter(ProcessHandle::isAlive))
                .isEmpty();
    }

    private static String listing(Path root) throws java.io.IOException {
        try (var files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).sorted().map(f -> f + ":" + f.toFile().length())
                    .reduce("", (a, b) -> a + b + "\n");
        }
    }

    @Test
    void corruptFileFailsPermanentlyWithAClearReason() {
        Path junk = TestClips.corrupt(dir, "junk.mp4");
        assertThatThrownBy(() -> tool.probe(junk))
                .isInstanceOfSatisfying(MediaException.class, e -> {
                    assertThat(e.permanent()).isTrue();
                    assertThat(e.getMessage()).startsWith("The file is not a readable video");
                    assertThat(e.getMessage()).doesNotContain(dir.toString());
                });
    }

    @Test
    void thumbnailIsAJpegOfTheConfiguredHeight() throws Exception {
        Path source = TestClips.mp4(dir, "thumb.mp4", 640, 360, 1, false);
        MediaInfo info = tool.probe(source);
        Path jpg = dir.resolve("t.jpg");
        tool.thumbnail(source, info, null, jpg, new Abort());
        byte[] bytes = Files.readAllBytes(jpg);
        assertThat(bytes[0]).isEqualTo((byte) 0xFF);
        assertThat(bytes[1]).isEqualTo((byte) 0xD8);
        MediaInfo picture = tool.probe(jpg);
        assertThat(picture.height()).isEqualTo(180);
        tool.thumbnail(source, info, 0.5, dir.resolve("at.jpg"), new Abort());
        assertThat(dir.resolve("at.jpg")).isNotEmptyFile();
        assertThatThrownBy(() -> tool.thumbnail(source, info, 5.0, dir.resolve("x.jpg"), new Abort()))
                .isInstanceOfSatisfying(MediaException.class, e -> assertThat(e.permanent()).isTrue());
    }

    @Test
    void trimOnKeyframesIsAStreamCopyOtherwiseAFrameAccurateReEncode() {
        Path source = TestClips.mp4(dir, "long.mp4", 320, 240, 2, true);
        MediaInfo info = tool.probe(source);
        assertThat(tool.keyframes(source)).contains(0.0, 1.0);

        Path copy = dir.resolve("copy.mp4");
        assertThat(tool.trim(source, info, 1.0, 2.0, copy, Progress.NONE, new Abort())).isTrue();
        assertThat(tool.probe(copy).durationSeconds()).isCloseTo(1.0, within(0.1));

        Path exact = dir.resolve("exact.mp4");
        assertThat(tool.trim(source, info, 0.3, 1.5, exact, Progress.NONE, new Abort())).isFalse();
        assertThat(tool.probe(exact).durationSeconds()).isCloseTo(1.2, within(0.1));

        assertThatThrownBy(() -> tool.trim(source, info, 1.5, 1.0, dir.resolve("bad.mp4"), Progress.NONE, new Abort()))
                .isInstanceOfSatisfying(MediaException.class, e -> assertThat(e.permanent()).isTrue());
    }

    @Test
    void mergeNormalisesSizeRateAndAudio() {
        Path a = TestClips.mp4(dir, "a.mp4", 320, 240, 1, true);
        Path b = TestClips.mp4(dir, "b.mp4", 160, 90, 1.2, false);
        Path c = TestClips.webm(dir, "c.webm", 240, 240, 0.8);
        List<Path> inputs = List.of(a, b, c);
        List<MediaInfo> infos = inputs.stream().map(tool::probe).toList();
        Path merged = dir.resolve("merged.mp4");
        tool.merge(inputs, infos, merged, Progress.NONE, new Abort());
        MediaInfo info = tool.probe(merged);
        double expected = infos.stream().mapToDouble(MediaInfo::durationSeconds).sum();
        assertThat(info.durationSeconds()).isCloseTo(expected, within(0.1));
        assertThat(info.width()).isEqualTo(320);
        assertThat(info.height()).isEqualTo(240);
        assertThat(info.hasAudio()).isTrue();
    }

    @Test
    void abortStopsFfmpeg() {
        Path source = TestClips.mp4(dir, "abort.mp4", 320, 240, 1, true);
        MediaInfo info = tool.probe(source);
        Abort abort = new Abort();
        abort.abort();
        assertThatThrownBy(() -> tool.encodeLadder(source, info, SMALL_LADDER.plan(320, 240), dir.resolve("out"),
                Progress.NONE, abort)).isInstanceOf(Abort.AbortedException.class);
    }

    private static void assertFastStart(Path mp4) throws RuntimeException {
        try (var in = Files.newInputStream(mp4)) {
            byte[] head = in.readNBytes(64 * 1024);
            String text = new String(head, java.nio.charset.StandardCharsets.ISO_8859_1);
            assertThat(text.indexOf("moov")).isNotNegative().isLessThan(text.indexOf("mdat") < 0 ? Integer.MAX_VALUE : text.indexOf("mdat"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Master playlist lists every rung with BANDWIDTH/RESOLUTION/CODECS, and every segment exists and decodes. */
    private void assertHls(LadderOutput out, List<Rung> rungs, boolean audio) {
        try {
            String master = Files.readString(out.hls().resolve("master.m3u8"));
            assertThat(master).startsWith("#EXTM3U");
            for (Rung rung : rungs) {
                assertThat(master).contains("RESOLUTION=" + rung.width() + "x" + rung.height());
                assertThat(master).contains("\n" + rung.name() + "/index.m3u8\n");
                Path playlist = out.hls().resolve(rung.name()).resolve("index.m3u8");
                assertThat(Files.readString(playlist)).contains("#EXT-X-ENDLIST");
                List<HlsPlaylists.Segment> segments = HlsPlaylists.segments(playlist);
                assertThat(segments).isNotEmpty();
                for (HlsPlaylists.Segment segment : segments) {
                    assertThat(segment.uri()).doesNotContain("/");
                    Path file = playlist.resolveSibling(segment.uri());
                    assertThat(file).isNotEmptyFile();
                    MediaInfo info = tool.probe(file);
                    assertThat(info.width()).isEqualTo(rung.width());
                    assertThat(info.height()).isEqualTo(rung.height());
                    assertThat(info.hasAudio()).isEqualTo(audio);
                }
            }
            // keyframes are aligned: every rendition is cut into the same segments
            List<List<Double>> cuts = rungs.stream().map(r -> HlsPlaylists.segments(
                    out.hls().resolve(r.name()).resolve("index.m3u8")).stream()
                    .map(HlsPlaylists.Segment::durationSeconds).toList()).toList();
            assertThat(cuts).allSatisfy(c -> assertThat(c).hasSameSizeAs(cuts.get(0)));
            for (List<Double> c : cuts) {
                for (int i = 0; i < c.size(); i++) {
                    assertThat(c.get(i)).isCloseTo(cuts.get(0).get(i), within(0.05));
                }
            }
            assertThat(master).containsPattern("BANDWIDTH=\\d+");
            assertThat(master).contains(audio ? "CODECS=\"avc1.6400" : "CODECS=\"avc1.");
            if (audio) {
                assertThat(master).contains("mp4a.40.2");
                assertAudioOnly(out, master);
            } else {
                assertThat(master).doesNotContain("mp4a");
                // a silent source: no audio-only variant and no audio download
                assertThat(master).doesNotContain("audio/index.m3u8");
                assertThat(out.hls().resolve("audio")).doesNotExist();
                assertThat(out.audio()).doesNotExist();
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * The audio-only variant: listed last in the master with CODECS mp4a.40.2 alone and no RESOLUTION, the lowest
     * BANDWIDTH; a VOD playlist whose segments hold an AAC stream and no video; and the .m4a download: AAC in MP4,
     * no video stream, moov first.
     */
    private static void assertAudioOnly(LadderOutput out, String master) throws java.io.IOException {
        List<String> lines = master.lines().toList();
        String inf = lines.get(lines.size() - 2);
        assertThat(lines.get(lines.size() - 1)).isEqualTo("audio/index.m3u8");
        assertThat(inf).startsWith("#EXT-X-STREAM-INF:").endsWith(",CODECS=\"mp4a.40.2\"")
                .doesNotContain("RESOLUTION", "FRAME-RATE", "avc1");
        long audioBandwidth = bandwidth(inf);
        assertThat(lines.stream().filter(l -> l.startsWith("#EXT-X-STREAM-INF:") && !l.equals(inf)))
                .isNotEmpty().allSatisfy(l -> assertThat(bandwidth(l)).isGreaterThan(audioBandwidth));
        Path playlist = out.hls().resolve("audio").resolve("index.m3u8");
        assertThat(Files.readString(playlist)).contains("#EXT-X-PLAYLIST-TYPE:VOD", "#EXT-X-ENDLIST");
        List<HlsPlaylists.Segment> segments = HlsPlaylists.segments(playlist);
        assertThat(segments).isNotEmpty();
        for (HlsPlaylists.Segment segment : segments) {
            // a trailing sliver of a segment (a few AAC frames after the last full one) is too short for ffprobe
            // to tell the codec (seen as mp2 on a 1 s source): only the segments with something to probe
            if (segment.durationSeconds() >= 0.1) {
                assertThat(TestClips.streams(playlist.resolveSibling(segment.uri()))).as(segment.uri())
                        .containsExactly("audio:aac");
            }
        }
        assertThat(TestClips.streams(out.audio())).containsExactly("audio:aac");
        assertFastStart(out.audio());
    }

    private static long bandwidth(String streamInf) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("[:,]BANDWIDTH=(\\d+)").matcher(streamInf);
        assertThat(m.find()).as(streamInf).isTrue();
        return Long.parseLong(m.group(1));
    }
}
