package dev.clipflow.transcode.job;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clipflow.contracts.events.CloudEvent;
import dev.clipflow.contracts.events.EventSchemas;
import dev.clipflow.contracts.events.Topics;
import dev.clipflow.contracts.events.TranscodeRequest;
import dev.clipflow.contracts.events.UserDeleted;
import dev.clipflow.contracts.events.VideoDeleted;
import dev.clipflow.storage.BlobKeys;
import dev.clipflow.storage.BlobStore;
import dev.clipflow.testinfra.resources.JwtResource;
import dev.clipflow.testinfra.kafka.KafkaTestClient;
import dev.clipflow.transcode.job.service.JobService;
import dev.clipflow.transcode.media.FfmpegMediaTool;
import dev.clipflow.transcode.media.HlsPlaylists;
import dev.clipflow.transcode.media.MediaInfo;
import dev.clipflow.transcode.media.TestClips;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/** Jobs end to end through the real broker, PostgreSQL, local blob store and FFmpeg. */
@QuarkusTest
class JobFlowTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    BlobStore store;

    @Inject
    FfmpegMediaTool media;

    @TempDir
    Path dir;

    @Test
    void uploadedVideoIsTranscodedAndAnnounced() throws Exception {
        UUID videoId = UUID.randomUUID();
        UUID ownerId = UUID.randomUUID();
        store.putFile(BlobKeys.original(videoId), TestClips.mp4(dir, "up.mp4", 320, 240, 1.2, true), "video/mp4");

        KafkaTestClient.publish(Topics.VIDEO_UPLOADED, JobTestSupport.uploaded(videoId, ownerId,
                BlobKeys.original(videoId)));

        JsonNode event = KafkaTestClient.awaitData(Topics.VIDEO_TRANSCODED, "videoId", videoId, WAIT);
        assertThat(EventSchemas.validateEvent(Topics.VIDEO_TRANSCODED, event)).isEmpty();
        JsonNode data = event.get("data");
        UUID jobId = JobService.uploadJobId(videoId);
        assertThat(data.get("jobId").asText()).isEqualTo(jobId.toString());
        assertThat(data.get("ownerId").asText()).isEqualTo(ownerId.toString());
        assertThat(data.get("durationSeconds").asDouble()).isCloseTo(1.2, within(0.15));
        assertThat(data.get("width").asInt()).isEqualTo(320);
        assertThat(data.get("height").asInt()).isEqualTo(240);
        assertThat(data.get("mp4Key").asText()).isEqualTo(BlobKeys.mp4(videoId));
        assertThat(data.get("thumbnailKey").asText()).isEqualTo(BlobKeys.thumbnail(videoId));
        assertThat(data.get("hlsMasterKey").asText()).isEqualTo(BlobKeys.hlsMaster(videoId));
        assertThat(data.get("renditions")).extracting(r -> r.get("name").asText())
                .containsExactly("144p", "240p");
        assertThat(store.stat(BlobKeys.mp4(videoId))).get().satisfies(b ->
                assertThat(b.size()).isEqualTo(data.get("mp4SizeBytes").asLong()));
        assertThat(store.stat(BlobKeys.thumbnail(videoId))).isPresent();
        // the sizes quota-service charges are what the store holds, to the byte: the storyboard's and the audio-only
        // download's each in a video.stored sent with video.transcoded, the rest in its totalBytes
        assertThat(data.get("storyboardKey").asText()).isEqualTo(BlobKeys.storyboardVtt(videoId));
        long storyboard = store.stat(BlobKeys.storyboardVtt(videoId)).orElseThrow().size()
                + store.stat(BlobKeys.storyboardSprite(videoId)).orElseThrow().size();
        JsonNode stored = stored(videoId, "storyboard");
        assertThat(EventSchemas.validateEvent(Topics.VIDEO_STORED, stored)).isEmpty();
        assertThat(stored.path("data").path("bytes").asLong()).isEqualTo(storyboard);
        assertThat(stored.path("data").path("ownerId").asText()).isEqualTo(ownerId.toString());
        assertThat(data.get("audioKey").asText()).isEqualTo(BlobKeys.audio(videoId));
        long audio = store.stat(BlobKeys.audio(videoId)).orElseThrow().size();
        JsonNode audioStored = stored(videoId, "audio");
        assertThat(EventSchemas.validateEvent(Topics.VIDEO_STORED, audioStored)).isEmpty();
        assertThat(audioStored.path("data").path("bytes").asLong()).isEqualTo(audio);
        long listed = store.list(BlobKeys.videoPrefix(videoId)).stream().mapToLong(b -> b.size()).sum();
        assertThat(data.get("totalBytes").asLong()).isEqualTo(listed - storyboard - audio);
        // the storyboard's cues name the sprite beside the WebVTT file, relatively
        assertThat(read(BlobKeys.storyboardVtt(videoId))).startsWith("WEBVTT\n\n00:00:00.000 --> ")
                .contains("\nstoryboard.jpg#xywh=0,0,160,120\n");
        Path m4a = dir.resolve("audio.m4a");
        store.download(BlobKeys.audio(videoId), m4a);
        assertThat(TestClips.streams(m4a)).containsExactly("audio:aac");
        assertThat(data.get("thumbnailSizeBytes").asLong()).isEqualTo(store.stat(BlobKeys.thumbnail(videoId))
                .orElseThrow().size());
        assertThat(data.has("originalSizeBytes")).isFalse();

        // the master playlist names each rendition relatively; every segment is stored beside its playlist
        String master = read(BlobKeys.hlsMaster(videoId));
        for (JsonNode rendition : data.get("renditions")) {
            String name = rendition.get("name").asText();
            assertThat(master).contains("\n" + name + "/index.m3u8\n");
            Path playlist = dir.resolve(name + ".m3u8");
            store.download(rendition.get("playlistKey").asText(), playlist);
            List<HlsPlaylists.Segment> segments = HlsPlaylists.segments(playlist);
            assertThat(segments).isNotEmpty();
            for (HlsPlaylists.Segment segment : segments) {
                assertThat(store.stat(BlobKeys.hls(videoId, name + "/" + segment.uri()))).isPresent();
            }
        }
        // and the audio-only variant, last: its stored segments hold AAC and no video
        assertThat(master).endsWith(",CODECS=\"mp4a.40.2\"\naudio/index.m3u8\n");
        Path audioPlaylist = dir.resolve("audio.m3u8");
        store.download(BlobKeys.hls(videoId, "audio/index.m3u8"), audioPlaylist);
        List<HlsPlaylists.Segment> audioSegments = HlsPlaylists.segments(audioPlaylist);
        assertThat(audioSegments).isNotEmpty();
        for (HlsPlaylists.Segment segment : audioSegments) {
            Path file = dir.resolve("audio-" + segment.uri());
            store.download(BlobKeys.hls(videoId, "audio/" + segment.uri()), file);
            assertThat(TestClips.streams(file)).as(segment.uri()).containsExactly("audio:aac");
        }

        // the lowest rendition was stored and announced before the rest of the ladder
        JsonNode early = KafkaTestClient.awaitData(Topics.VIDEO_RENDITION_READY, "videoId", videoId, WAIT);
        assertThat(EventSchemas.validateEvent(Topics.VIDEO_RENDITION_READY, early)).isEmpty();
        assertThat(early.path("data").path("rendition").path("name").asText()).isEqualTo("144p");
        assertThat(early.path("data").path("rendition").path("playlistKey").asText())
                .isEqualTo(BlobKeys.hls(videoId, "144p/index.m3u8"));
        assertThat(early.path("data").path("ready")).extracting(JsonNode::asText).containsExactly("144p");
        assertThat(early.path("data").path("ladder")).extracting(JsonNode::asText).containsExactly("144p", "240p");
        assertThat(java.time.Instant.parse(early.path("time").asText()))
                .isBefore(java.time.Instant.parse(event.path("time").asText()));

        List<KafkaTestClient.Received> progress = KafkaTestClient.await(Topics.TRANSCODE_PROGRESS,
                r -> r.json() != null && jobId.toString().equals(r.json().path("data").path("jobId").asText()),
                list -> list.stream().anyMatch(r -> r.json().path("data").path("status").asText().equals("SUCCEEDED")),
                WAIT);
        assertThat(progress).allSatisfy(r -> assertThat(EventSchemas.validateEvent(Topics.TRANSCODE_PROGRESS, r.json()))
                .isEmpty());
        assertThat(progress).extracting(r -> r.json().path("data").path("status").asText())
                .contains("QUEUED", "RUNNING", "SUCCEEDED");

        // scratch files of the job are gone
        try (var left = Files.list(scratchRoot())) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(jobId.toString()));
        }

        given().auth().oauth2(JwtResource.tokens().user(ownerId)).queryParam("videoId", videoId)
                .when().get("/api/jobs")
                .then().statusCode(200)
                .body("total", equalTo(1))
                .body("items[0].id", equalTo(jobId.toString()))
                .body("items[0].type", equalTo("TRANSCODE"))
                .body("items[0].status", equalTo("SUCCEEDED"))
                .body("items[0].progress", equalTo(100))
                .body("items[0].sourceVideoIds.size()", equalTo(0));
    }

    /**
     * The video plays while its ladder is encoded, and running the job again after it was lost mid-way is safe.
     * The job's ffmpeg is paused (SIGSTOP) as it starts and then let run in short slices until the store holds
     * the lowest rendition's growing playlist, so the top rung is certainly still being encoded (nothing timed
     * decides it). Then the worker loses the job (handed back, as at a shutdown or a lease lost): it stops,
     * nothing says READY or FAILED, and the next attempt, finding what the first one published, ends with the
     * final state of a job never interrupted (VOD playlists, every blob counted once, nothing stale).
     */
    @Test
    void aVideoPlaysWhileItsLadderIsEncodedAndALostJobRunsAgainSafely() throws Exception {
        UUID videoId = UUID.randomUUID();
        UUID ownerId = UUID.randomUUID();
        UUID jobId = JobService.uploadJobId(videoId);
        store.putFile(BlobKeys.original(videoId), TestClips.mp4(dir, "live.mp4", 640, 480, 20, true), "video/mp4");
        KafkaTestClient.publish(Topics.VIDEO_UPLOADED, JobTestSupport.uploaded(videoId, ownerId,
                BlobKeys.original(videoId)));

        long ffmpeg = pauseOnceThePlaylistIsStored(jobId, BlobKeys.hls(videoId, "144p/index.m3u8"));
        try {
            JsonNode ready = KafkaTestClient.awaitData(Topics.VIDEO_RENDITION_READY, "videoId", videoId, WAIT);
            assertThat(EventSchemas.validateEvent(Topics.VIDEO_RENDITION_READY, ready)).isEmpty();
            assertThat(ready.at("/data/rendition/name").asText()).isEqualTo("144p");
            assertThat(ready.at("/data/ready")).extracting(JsonNode::asText).containsExactly("144p");
            assertThat(ready.at("/data/ladder")).extracting(JsonNode::asText).containsExactly("144p", "240p", "360p");
            // the 144p rendition plays: a growing playlist whose segments are all stored, which ffprobe reads
            String playlist = assertPlayable(videoId, "144p");
            assertThat(playlist).contains("#EXT-X-PLAYLIST-TYPE:EVENT").doesNotContain("#EXT-X-ENDLIST");
            // while the top rung is still being encoded: the job runs, no MP4 and no final playlist yet
            assertThat(JobTestSupport.find(jobId).status).isEqualTo(JobStatus.RUNNING);
            assertThat(ProcessHandle.of(ffmpeg)).get().matches(ProcessHandle::isAlive);
            assertThat(store.stat(BlobKeys.mp4(videoId))).isEmpty();
            assertThat(store.stat(BlobKeys.hlsMaster(videoId))).isEmpty();
            // the worker loses the job: its heartbeat finds out and stops ffmpeg; the job runs again
            assertThat(jobStore.handBack(jobId, JobTestSupport.find(jobId).leaseOwner)).isTrue();
        } finally {
            signal("CONT", ffmpeg);
        }

        JsonNode event = KafkaTestClient.awaitData(Topics.VIDEO_TRANSCODED, "videoId", videoId, WAIT);
        Job done = JobTestSupport.find(jobId);
        assertThat(done.status).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(statuses(jobId, "SUCCEEDED")).as("the job never failed").doesNotContain("FAILED");
        // the final state of an uninterrupted job: VOD playlists of stored segments, every blob counted once (the
        // storyboard and the audio-only download each in a video.stored, the rest in video.transcoded)
        long listed = store.list(BlobKeys.videoPrefix(videoId)).stream()
                .filter(b -> !b.key().contains("/storyboard.")).mapToLong(b -> b.size()).sum();
        assertThat(event.at("/data/totalBytes").asLong())
                .isEqualTo(listed - store.stat(BlobKeys.audio(videoId)).orElseThrow().size());
        assertThat(store.list(BlobKeys.videoPrefix(videoId))).noneMatch(b -> b.key().endsWith(".tmp"));
        assertThat(read(BlobKeys.hlsMaster(videoId))).contains("144p/index.m3u8", "240p/index.m3u8", "360p/index.m3u8");
        for (String name : List.of("144p", "240p", "360p")) {
            String vod = assertPlayable(videoId, name);
            assertThat(vod).contains("#EXT-X-PLAYLIST-TYPE:VOD\n", "#EXT-X-ENDLIST").doesNotContain("EVENT", "EXT-X-START");
        }
        assertThat(media.probe(dir.resolve("360p").resolve("index.m3u8")).durationSeconds()).isCloseTo(20, within(0.5));
        // every announcement (from both attempts) names the renditions lowest first and a playlist that is there
        List<KafkaTestClient.Received> announced = KafkaTestClient.await(Topics.VIDEO_RENDITION_READY,
                r -> r.json() != null && videoId.toString().equals(r.json().at("/data/videoId").asText()),
                list -> list.size() >= 6, WAIT);
        for (KafkaTestClient.Received r : announced) {
            JsonNode data = r.json().get("data");
            List<String> names = new java.util.ArrayList<>();
            data.get("ready").forEach(n -> names.add(n.asText()));
            assertThat(names).isEqualTo(List.of("144p", "240p", "360p").subList(0, names.size()));
            assertThat(names.get(names.size() - 1)).isEqualTo(data.at("/rendition/name").asText());
            assertThat(store.stat(data.at("/rendition/playlistKey").asText())).isPresent();
        }
    }

    /** A job failing for good mid-way leaves nothing that plays: FAILED, and what it published is removed. */
    @Test
    void aLadderFailingForGoodMidwayLeavesNothingPublished() throws Exception {
        UUID videoId = UUID.randomUUID();
        UUID ownerId = UUID.randomUUID();
        UUID jobId = JobService.uploadJobId(videoId);
        store.putFile(BlobKeys.original(videoId), TestClips.mp4(dir, "doomed.mp4", 640, 480, 20, true), "video/mp4");
        KafkaTestClient.publish(Topics.VIDEO_UPLOADED, JobTestSupport.uploaded(videoId, ownerId,
                BlobKeys.original(videoId)));

        long ffmpeg = pauseOnceThePlaylistIsStored(jobId, BlobKeys.hls(videoId, "144p/index.m3u8"));
        KafkaTestClient.awaitData(Topics.VIDEO_RENDITION_READY, "videoId", videoId, WAIT);
        signal("KILL", ffmpeg); // ffmpeg crashes: the ladder fails for good

        JsonNode failed = KafkaTestClient.awaitData(Topics.VIDEO_FAILED, "videoId", videoId, WAIT);
        assertThat(failed.at("/data/reason").asText()).startsWith("Transcoding failed");
        await().atMost(WAIT).untilAsserted(() -> assertThat(store.list(BlobKeys.hlsPrefix(videoId))).isEmpty());
        assertThat(JobTestSupport.find(jobId).status).isEqualTo(JobStatus.FAILED);
        assertThat(store.stat(BlobKeys.mp4(videoId))).isEmpty();
        assertThat(statuses(jobId, "FAILED")).as("the job never succeeded (no video.transcoded)").doesNotContain("SUCCEEDED");
    }

    /**
     * Pauses the ladder ffmpeg of {@code jobId} as it starts, then lets it run in short slices until the store holds
     * {@code playlistKey}; returns its pid, paused.
     */
    private long pauseOnceThePlaylistIsStored(UUID jobId, String playlistKey) throws Exception {
        long pid = await().atMost(WAIT).pollInterval(Duration.ofMillis(5)).until(() -> ProcessHandle.current()
                .descendants().filter(p -> p.info().commandLine().orElse("").contains(jobId.toString())
                        && p.info().commandLine().orElse("").contains("-filter_complex"))
                .findFirst(), java.util.Optional::isPresent).get().pid();
        signal("STOP", pid);
        while (store.stat(playlistKey).isEmpty()) {
            signal("CONT", pid);
            Thread.sleep(100);
            signal("STOP", pid);
            // the worker looks for finished segments five times a second
            for (int i = 0; i < 12 && store.stat(playlistKey).isEmpty(); i++) {
                Thread.sleep(100);
            }
            assertThat(ProcessHandle.of(pid)).as("ffmpeg still runs").get().matches(ProcessHandle::isAlive);
        }
        return pid;
    }

    /** The statuses of the job's {@code transcode.progress} events, up to the first {@code last}. */
    private static List<String> statuses(UUID jobId, String last) {
        return KafkaTestClient.await(Topics.TRANSCODE_PROGRESS,
                r -> r.json() != null && jobId.toString().equals(r.json().at("/data/jobId").asText()),
                list -> list.stream().anyMatch(r -> r.json().at("/data/status").asText().equals(last)), WAIT)
                .stream().map(r -> r.json().at("/data/status").asText()).toList();
    }

    private static void signal(String signal, long pid) throws Exception {
        new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).inheritIO().start().waitFor();
    }

    /** Downloads a rendition's playlist and its segments (all must be stored); ffprobe reads it. Returns its text. */
    private String assertPlayable(UUID videoId, String name) throws Exception {
        Path folder = Files.createDirectories(dir.resolve(name));
        Path playlist = folder.resolve("index.m3u8");
        store.download(BlobKeys.hls(videoId, name + "/index.m3u8"), playlist);
        List<HlsPlaylists.Segment> segments = HlsPlaylists.segments(playlist);
        assertThat(segments).isNotEmpty();
        for (HlsPlaylists.Segment segment : segments) {
            store.download(BlobKeys.hls(videoId, name + "/" + segment.uri()), folder.resolve(segment.uri()));
        }
        Process probe = new ProcessBuilder(TestClips.binaries().ffprobe().toString(), "-v", "error", "-show_entries",
                "stream=codec_type", "-of", "csv=p=0", playlist.toString()).redirectErrorStream(true).start();
        String streams = new String(probe.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(probe.waitFor()).as(streams).isZero();
        assertThat(streams).contains("video", "audio");
        return Files.readString(playlist);
    }

    @Test
    void redeliveredAndRepeatedEventsMakeOneJob() throws Exception {
        UUID videoId = UUID.randomUUID();
        UUID ownerId = UUID.randomUUID();
        store.putFile(BlobKeys.original(videoId), TestClips.mp4(dir, "dup.mp4", 160, 120, 1, false), "video/mp4");
        CloudEvent<?> event = JobTestSupport.uploaded(videoId, ownerId, BlobKeys.original(videoId));
        KafkaTestClient.publish(Topics.VIDEO_UPLOADED, event);
        KafkaTestClient.publish(Topics.VIDEO_UPLOADED, event);
        KafkaTestClient.publish(Topics.VIDEO_UPLOADED, JobTestSupport.uploaded(videoId, ownerId, BlobKeys.original(videoId)));

        JsonNode transcoded = KafkaTestClient.awaitData(Topics.VIDEO_TRANSCODED, "videoId", videoId, WAIT);
        await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2(JwtResource.tokens().admin(UUID.randomUUID()))
                .queryParam("videoId", videoId).when().get("/api/jobs")
                .then().statusCode(200).body("total", equalTo(1)).body("items[0].status", equalTo("SUCCEEDED")));

        // a silent source: no audio-only variant, no audio download (and quota is told it has none)
        assertThat(transcoded.path("data").has("audioKey")).isFalse();
        assertThat(store.stat(BlobKeys.audio(videoId))).isEmpty();
        assertThat(store.list(BlobKeys.hlsPrefix(videoId))).noneMatch(b -> b.key().contains("/audio/"));
        assertThat(read(BlobKeys.hlsMaster(videoId))).doesNotContain("mp4a", "audio/");
        assertThat(stored(videoId, "audio").path("data").path("bytes").asLong()).isZero();
    }

    @Test
    void aDuplicateUploadMakesNoJob() {
        UUID first = UUID.randomUUID();
        UUID copy = UUID.randomUUID();
        UUID ownerId = UUID.randomUUID();
        CloudEvent<?> event = CloudEvent.of(Topics.VIDEO_UPLOADED, "/clipflow/upload-service", copy.toString(),
                new dev.clipflow.contracts.events.VideoUploaded(copy, ownerId, UUID.randomUUID(), "copy.mp4",
                        "video/mp4", 1000, "ab".repeat(32), BlobKeys.original(first), "A copy", null, null,
                        Instant.now(), first));
        KafkaTestClient.publish(Topics.VIDEO_UPLOADED, event);
        await().atMost(WAIT).until(() -> io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() ->
                !jakarta.enterprise.inject.spi.CDI.current().select(jakarta.persistence.EntityManager.class).get()
                        .createNativeQuery("select 1 from inbox_event where event_id = ?1").setParameter(1, event.id())
                        .getResultList().isEmpty()));
        given().auth().oauth2(JwtResource.tokens().admin(UUID.randomUUID())).queryParam("videoId", copy)
                .when().get("/api/jobs").then().statusCode(200).body("total", equalTo(0));
    }

    @Test
    void invalidEventsGoToTheDeadLetterTopicAndConsumptionGoesOn() {
        String marker = UUID.randomUUID().toString();
        KafkaTestClient.publish(Topics.VIDEO_UPLOADED, marker, "not json " + marker);
        KafkaTestClient.publish(Topics.VIDEO_UPLOADED, marker, "{\"specversion\":\"1.0\",\"id\":\"" + marker
                + "\",\"source\":\"/x\",\"type\":\"clipflow.video.uploaded\",\"data\":{\"videoId\":\"nope\"}}");

        List<KafkaTestClient.Received> dead = KafkaTestClient.await(Topics.dlq(Topics.VIDEO_UPLOADED),
                r -> r.value() != null && r.value().contains(marker), list -> list.size() >= 2, WAIT);
        assertThat(dead).allSatisfy(r -> assertThat(r.headers().get("dead-letter-reason")).isNotBlank());
        assertThat(dead).anySatisfy(r -> assertThat(r.headers().get("dead-letter-reason")).contains("Not JSON"));
        assertThat(dead).anySatisfy(r -> assertThat(r.headers().get("dead-letter-reason")).contains("Schema validation failed"));

        // the consumer is still alive: the next valid event is applied
        UUID videoId = UUID.randomUUID();
        store.putFile(BlobKeys.original(videoId), TestClips.mp4(dir, "after.mp4", 160, 120, 1, false), "video/mp4");
        KafkaTestClient.publish(Topics.VIDEO_UPLOADED, JobTestSupport.uploaded(videoId, UUID.randomUUID(),
                BlobKeys.original(videoId)));
        KafkaTestClient.awaitData(Topics.VIDEO_TRANSCODED, "videoId", videoId, WAIT);
    }

    @Test
    void anInvalidTranscodeRequestGoesToItsDeadLetterTopicAndMakesNoJob() {
        UUID jobId = UUID.randomUUID();
        // a TRIM without its params violates the transcode.requests schema
        KafkaTestClient.publish(Topics.TRANSCODE_REQUESTS, JobTestSupport.request(new TranscodeRequest(jobId,
                TranscodeRequest.Type.TRIM, UUID.randomUUID(), List.of(UUID.randomUUID()), UUID.randomUUID(), null)));
        List<KafkaTestClient.Received> dead = KafkaTestClient.await("transcode.requests.dlq",
                r -> r.value() != null && r.value().contains(jobId.toString()), list -> !list.isEmpty(), WAIT);
        assertThat(dead.get(0).headers().get("dead-letter-reason")).contains("Schema validation failed");
        assertThat(JobTestSupport.find(jobId)).isNull();
    }

    /** Any publisher could name another user's original as the source and copy it into its own video. */
    @Test
    void aTranscodeRequestCannotNameAnotherVideosBlobAsItsSource() {
        UUID victim = UUID.randomUUID();
        store.putFile(BlobKeys.original(victim), TestClips.mp4(dir, "victim.mp4", 160, 120, 1, false), "video/mp4");
        UUID thief = UUID.randomUUID();
        UUID jobId = UUID.randomUUID();
        KafkaTestClient.publish(Topics.TRANSCODE_REQUESTS, JobTestSupport.request(new TranscodeRequest(jobId,
                TranscodeRequest.Type.TRANSCODE, thief, List.of(), UUID.randomUUID(),
                Map.of(JobService.SOURCE_KEY, BlobKeys.original(victim)))));

        JsonNode failed = KafkaTestClient.awaitData(Topics.VIDEO_FAILED, "videoId", thief, WAIT);
        assertThat(failed.at("/data/reason").asText()).contains("source");
        assertThat(JobTestSupport.find(jobId).status).isEqualTo(JobStatus.FAILED);
        assertThat(store.stat(BlobKeys.mp4(thief))).isEmpty();
        assertThat(store.list(BlobKeys.videoPrefix(thief))).isEmpty();
    }

    /**
     * Any internal publisher of {@code transcode.requests} could name another user's video as a trim or merge
     * source and get a copy of it as its own video: the worker checks that every source was transcoded here for
     * the job's owner, and fails the job otherwise, storing nothing.
     */
    @Test
    void aTrimOrMergeCannotTakeAnotherUsersVideoAsItsSource() {
        UUID victim = UUID.randomUUID();
        UUID victims = UUID.randomUUID();
        store.putFile(BlobKeys.mp4(victims), TestClips.mp4(dir, "victims.mp4", 160, 120, 1, true), "video/mp4");
        transcodedFor(victim, victims);
        UUID thief = UUID.randomUUID();
        UUID own = UUID.randomUUID();
        store.putFile(BlobKeys.mp4(own), TestClips.mp4(dir, "own.mp4", 160, 120, 1, true), "video/mp4");
        transcodedFor(thief, own);
        UUID trimmed = UUID.randomUUID();
        UUID trimJob = UUID.randomUUID();
        UUID merged = UUID.randomUUID();
        UUID mergeJob = UUID.randomUUID();

        KafkaTestClient.publish(Topics.TRANSCODE_REQUESTS, JobTestSupport.request(new TranscodeRequest(trimJob,
                TranscodeRequest.Type.TRIM, trimmed, List.of(victims), thief,
                Map.of("startSeconds", 0.0, "endSeconds", 0.5))));
        KafkaTestClient.publish(Topics.TRANSCODE_REQUESTS, JobTestSupport.request(new TranscodeRequest(mergeJob,
                TranscodeRequest.Type.MERGE, merged, List.of(own, victims), thief, Map.of())));

        for (UUID[] video : new UUID[][] {{trimmed, trimJob}, {merged, mergeJob}}) {
            JsonNode failed = KafkaTestClient.awaitData(Topics.VIDEO_FAILED, "videoId", video[0], WAIT);
            assertThat(failed.at("/data/reason").asText())
                    .isEqualTo("Source video " + victims + " is not a video of this job's owner.");
            Job job = JobTestSupport.find(video[1]);
            assertThat(job.status).isEqualTo(JobStatus.FAILED);
            assertThat(job.attempts).as("permanent: not retried").isEqualTo(1);
            assertThat(store.list(BlobKeys.originalPrefix(video[0]))).as("no original copied").isEmpty();
            assertThat(store.list(BlobKeys.videoPrefix(video[0]))).as("no outputs").isEmpty();
        }
    }

    /**
     * Nothing limited what a job may cost: any resolution, any length was encoded (limits of the test
     * profile: 640x480 pixels, 60 s, 1,800 frames).
     */
    @Test
    void videosBeyondTheLimitsFailAtOnceWithAClearReason() {
        UUID large = UUID.randomUUID();
        store.putFile(BlobKeys.original(large), TestClips.mp4(dir, "large.mp4", 800, 608, 0.4, false), "video/mp4");
        KafkaTestClient.publish(Topics.VIDEO_UPLOADED, JobTestSupport.uploaded(large, UUID.randomUUID(),
                BlobKeys.original(large)));
        UUID tooLong = UUID.randomUUID();
        store.putFile(BlobKeys.original(tooLong), TestClips.mp4(dir, "long.mp4", 32, 32, 61, false), "video/mp4");
        KafkaTestClient.publish(Topics.VIDEO_UPLOADED, JobTestSupport.uploaded(tooLong, UUID.randomUUID(),
                BlobKeys.original(tooLong)));

        JsonNode failedLarge = KafkaTestClient.awaitData(Topics.VIDEO_FAILED, "videoId", large, WAIT);
        assertThat(failedLarge.at("/data/reason").asText())
                .isEqualTo("The picture of 800x608 pixels is larger than the limit of 307200 pixels.");
        JsonNode failedLong = KafkaTestClient.awaitData(Topics.VIDEO_FAILED, "videoId", tooLong, WAIT);
        assertThat(failedLong.at("/data/reason").asText()).startsWith("The video lasts 61")
                .endsWith("longer than the limit of 60 s.");
        assertThat(JobTestSupport.find(JobService.uploadJobId(large)).attempts).isEqualTo(1);
        assertThat(store.list(BlobKeys.videoPrefix(large))).isEmpty();
        assertThat(store.list(BlobKeys.videoPrefix(tooLong))).isEmpty();
    }

    @Test
    void corruptUploadFailsOnceWithAClearReasonAndCanBeRetriedByAnAdmin() {
        UUID videoId = UUID.randomUUID();
        UUID ownerId = UUID.randomUUID();
        store.putFile(BlobKeys.original(videoId), TestClips.corrupt(dir, "junk.mp4"), "video/mp4");
        KafkaTestClient.publish(Topics.VIDEO_UPLOADED, JobTestSupport.uploaded(videoId, ownerId, BlobKeys.original(videoId)));

        JsonNode failed = KafkaTestClient.awaitData(Topics.VIDEO_FAILED, "videoId", videoId, WAIT);
        assertThat(EventSchemas.validateEvent(Topics.VIDEO_FAILED, failed)).isEmpty();
        assertThat(failed.at("/data/stage").asText()).isEqualTo("TRANSCODE");
        assertThat(failed.at("/data/reason").asText()).startsWith("The file is not a readable video");
        UUID jobId = JobService.uploadJobId(videoId);
        Job job = JobTestSupport.find(jobId);
        assertThat(job.status).isEqualTo(JobStatus.FAILED);
        assertThat(job.attempts).isEqualTo(1);

        given().auth().oauth2(JwtResource.tokens().user(ownerId)).when().get("/api/jobs/" + jobId)
                .then().statusCode(200).body("status", equalTo("FAILED"))
                .body("error", org.hamcrest.Matchers.startsWith("The file is not a readable video"));

        // the owner replaces nothing, an admin fixes the file and retries
        store.putFile(BlobKeys.original(videoId), TestClips.mp4(dir, "fixed.mp4", 160, 120, 1, true), "video/mp4");
        given().auth().oauth2(JwtResource.tokens().admin(UUID.randomUUID())).when().post("/api/jobs/" + jobId + "/retry")
                .then().statusCode(202).body("status", equalTo("QUEUED")).body("error", org.hamcrest.Matchers.nullValue());
        KafkaTestClient.awaitData(Topics.VIDEO_TRANSCODED, "videoId", videoId, WAIT);
        await().atMost(WAIT).until(() -> JobTestSupport.find(jobId).status == JobStatus.SUCCEEDED);
    }

    @Test
    void trimProducesTheNewVideoWithTheRequestedDuration() {
        UUID source = UUID.randomUUID();
        UUID target = UUID.randomUUID();
        UUID jobId = UUID.randomUUID();
        UUID ownerId = UUID.randomUUID();
        store.putFile(BlobKeys.mp4(source), TestClips.mp4(dir, "src.mp4", 320, 240, 2, true), "video/mp4");
        transcodedFor(ownerId, source);
        KafkaTestClient.publish(Topics.TRANSCODE_REQUESTS, JobTestSupport.request(new TranscodeRequest(jobId,
                TranscodeRequest.Type.TRIM, target, List.of(source), ownerId,
                Map.of("startSeconds", 0.4, "endSeconds", 1.5))));

        JsonNode data = KafkaTestClient.awaitData(Topics.VIDEO_TRANSCODED, "videoId", target, WAIT).get("data");
        assertThat(data.get("jobId").asText()).isEqualTo(jobId.toString());
        assertThat(data.get("durationSeconds").asDouble()).isCloseTo(1.1, within(0.1));
        assertThat(probe(BlobKeys.mp4(target)).durationSeconds()).isCloseTo(1.1, within(0.1));
        // the trim stored the new original itself: its size travels with the event, for quota-service to charge
        assertThat(data.get("originalSizeBytes").asLong()).isEqualTo(store.stat(BlobKeys.original(target))
                .orElseThrow().size());
        given().auth().oauth2(JwtResource.tokens().user(ownerId)).when().get("/api/jobs/" + jobId)
                .then().statusCode(200).body("type", equalTo("TRIM")).body("videoId", equalTo(target.toString()))
                .body("sourceVideoIds", equalTo(List.of(source.toString())));
    }

    @Test
    void mergeConcatenatesSourcesOfDifferentShapes() {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        UUID target = UUID.randomUUID();
        store.putFile(BlobKeys.mp4(a), TestClips.mp4(dir, "a.mp4", 320, 240, 1, true), "video/mp4");
        store.putFile(BlobKeys.mp4(b), TestClips.mp4(dir, "b.mp4", 160, 90, 1.2, false), "video/mp4");
        UUID ownerId = UUID.randomUUID();
        transcodedFor(ownerId, a);
        transcodedFor(ownerId, b);
        double expected = probe(BlobKeys.mp4(a)).durationSeconds() + probe(BlobKeys.mp4(b)).durationSeconds();
        KafkaTestClient.publish(Topics.TRANSCODE_REQUESTS, JobTestSupport.request(new TranscodeRequest(UUID.randomUUID(),
                TranscodeRequest.Type.MERGE, target, List.of(a, b), ownerId, Map.of())));

        JsonNode data = KafkaTestClient.awaitData(Topics.VIDEO_TRANSCODED, "videoId", target, WAIT).get("data");
        MediaInfo merged = probe(BlobKeys.mp4(target));
        assertThat(merged.durationSeconds()).isCloseTo(expected, within(0.1));
        assertThat(merged.hasAudio()).isTrue();
        assertThat(data.get("width").asInt()).isEqualTo(320);
    }

    @Test
    void thumbnailRequestReplacesTheThumbnail() {
        UUID videoId = UUID.randomUUID();
        UUID jobId = UUID.randomUUID();
        UUID owner = UUID.randomUUID();
        store.putFile(BlobKeys.mp4(videoId), TestClips.mp4(dir, "v.mp4", 320, 240, 1, false), "video/mp4");
        KafkaTestClient.publish(Topics.TRANSCODE_REQUESTS, JobTestSupport.request(new TranscodeRequest(jobId,
                TranscodeRequest.Type.THUMBNAIL, videoId, null, owner, Map.of("atSeconds", 0.5))));
        await().atMost(WAIT).until(() -> JobTestSupport.find(jobId) != null
                && JobTestSupport.find(jobId).status == JobStatus.SUCCEEDED);
        assertThat(store.stat(BlobKeys.thumbnail(videoId))).isPresent();
        // quota-service learns the new thumbnail's size from video.stored
        JsonNode stored = KafkaTestClient.awaitData(Topics.VIDEO_STORED, "videoId", videoId, WAIT);
        assertThat(EventSchemas.validateEvent(Topics.VIDEO_STORED, stored)).isEmpty();
        assertThat(stored.path("data").path("kind").asText()).isEqualTo("thumbnail");
        assertThat(stored.path("data").path("ownerId").asText()).isEqualTo(owner.toString());
        assertThat(stored.path("data").path("bytes").asLong())
                .isEqualTo(store.stat(BlobKeys.thumbnail(videoId)).orElseThrow().size()).isPositive();
    }

    @Test
    void aJobWhoseWorkerDiedIsReclaimedWhenItsLeaseRunsOut() {
        UUID videoId = UUID.randomUUID();
        store.putFile(BlobKeys.original(videoId), TestClips.mp4(dir, "crash.mp4", 160, 120, 1, true), "video/mp4");
        // a worker claimed it, then was killed mid-job: its lease ran out a moment ago
        Job job = JobTestSupport.insert(UUID.randomUUID(), videoId, JobStatus.RUNNING, Instant.now(),
                "crashed-worker", Instant.now().minusSeconds(1));

        KafkaTestClient.awaitData(Topics.VIDEO_TRANSCODED, "videoId", videoId, WAIT);
        Job done = JobTestSupport.find(job.id);
        assertThat(done.status).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(done.attempts).isEqualTo(2);
        assertThat(done.leaseOwner).isNull();
    }

    @Test
    void aLiveLeaseIsLeftAlone() {
        UUID videoId = UUID.randomUUID();
        Job job = JobTestSupport.insert(UUID.randomUUID(), videoId, JobStatus.RUNNING, Instant.now(),
                "busy-worker", Instant.now().plusSeconds(3600));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> JobTestSupport.find(job.id).leaseOwner.equals("busy-worker"));
    }

    @Test
    void deletingTheVideoCancelsItsJobsAndLaterRequestsAreIgnored() {
        UUID videoId = UUID.randomUUID();
        UUID ownerId = UUID.randomUUID();
        Job queued = JobTestSupport.insert(ownerId, videoId, JobStatus.QUEUED, Instant.now().plusSeconds(3600), null, null);
        Job running = JobTestSupport.insert(ownerId, videoId, JobStatus.RUNNING, Instant.now(), "other-worker",
                Instant.now().plusSeconds(3600));

        KafkaTestClient.publish(Topics.VIDEO_DELETED, CloudEvent.of(Topics.VIDEO_DELETED, "/clipflow/catalog-service",
                videoId.toString(), new VideoDeleted(videoId, ownerId, "clip.mp4", 10, ownerId)));

        await().atMost(WAIT).untilAsserted(() -> {
            for (Job job : List.of(JobTestSupport.find(queued.id), JobTestSupport.find(running.id))) {
                assertThat(job.status).isEqualTo(JobStatus.FAILED);
                assertThat(job.error).isEqualTo(JobService.CANCELLED_REASON);
            }
        });
        KafkaTestClient.publish(Topics.VIDEO_UPLOADED, JobTestSupport.uploaded(videoId, ownerId, BlobKeys.original(videoId)));
        UUID marker = UUID.randomUUID();
        store.putFile(BlobKeys.original(marker), TestClips.mp4(dir, "m.mp4", 160, 120, 1, false), "video/mp4");
        KafkaTestClient.publish(Topics.VIDEO_UPLOADED, JobTestSupport.uploaded(marker, ownerId, BlobKeys.original(marker)));
        KafkaTestClient.awaitData(Topics.VIDEO_TRANSCODED, "videoId", marker, WAIT);
        assertThat(JobTestSupport.find(JobService.uploadJobId(videoId))).isNull();
        given().auth().oauth2(JwtResource.tokens().admin(UUID.randomUUID())).when().post("/api/jobs/" + queued.id + "/retry")
                .then().statusCode(409).body("code", equalTo("job.video_deleted"));
    }

    @Test
    void aVideoDeletedAfterItsJobFinishedLosesWhatTheJobStored() throws Exception {
        // catalog deleted the video (and its blobs) while the job ran; the job finished before the
        // video.deleted event reached transcode-service and stored its outputs again
        UUID videoId = UUID.randomUUID();
        UUID ownerId = UUID.randomUUID();
        Job done = JobTestSupport.insert(ownerId, videoId, JobStatus.SUCCEEDED, Instant.now(), null, null);
        Path file = TestClips.mp4(dir, "late.mp4", 160, 120, 1, false);
        store.putFile(BlobKeys.mp4(videoId), file, "video/mp4");
        store.putFile(BlobKeys.hls(videoId, "144p/seg_0000.ts"), file, "video/mp2t");
        store.putFile(BlobKeys.original(videoId), file, "video/mp4");
        UUID other = UUID.randomUUID();
        store.putFile(BlobKeys.mp4(other), file, "video/mp4");

        KafkaTestClient.publish(Topics.VIDEO_DELETED, CloudEvent.of(Topics.VIDEO_DELETED, "/clipflow/catalog-service",
                videoId.toString(), new VideoDeleted(videoId, ownerId, "late.mp4", 10, ownerId)));

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(store.list(BlobKeys.videoPrefix(videoId))).isEmpty();
            assertThat(store.list(BlobKeys.originalPrefix(videoId))).isEmpty();
        });
        assertThat(JobTestSupport.find(done.id).status).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(store.stat(BlobKeys.mp4(other))).isPresent();
    }

    /**
     * Dedup: a deleted video whose content a live duplicate still plays ({@code chargeTo}) keeps its blobs; catalog
     * deletes them with the last video of the content. transcode-service used to delete them on every
     * {@code video.deleted}, so the duplicate stopped playing a moment after its root was deleted.
     */
    @Test
    void aDeletedVideoWhoseContentADuplicateStillPlaysKeepsItsBlobs() throws Exception {
        UUID root = UUID.randomUUID();
        UUID duplicate = UUID.randomUUID();
        UUID ownerId = UUID.randomUUID();
        Path file = TestClips.mp4(dir, "shared.mp4", 160, 120, 1, false);
        store.putFile(BlobKeys.mp4(root), file, "video/mp4");
        store.putFile(BlobKeys.original(root), file, "video/mp4");
        UUID marker = UUID.randomUUID();
        store.putFile(BlobKeys.mp4(marker), file, "video/mp4");

        KafkaTestClient.publish(Topics.VIDEO_DELETED, CloudEvent.of(Topics.VIDEO_DELETED, "/clipflow/catalog-service",
                root.toString(), new VideoDeleted(root, ownerId, "shared.mp4", 10, ownerId, duplicate)));
        // the same key, so consumed after the root's event: once the marker's blobs are gone, the root's event was applied
        KafkaTestClient.publish(Topics.VIDEO_DELETED, CloudEvent.of(Topics.VIDEO_DELETED, "/clipflow/catalog-service",
                root.toString(), new VideoDeleted(marker, ownerId, "m.mp4", 10, ownerId)));
        await().atMost(WAIT).untilAsserted(() -> assertThat(store.list(BlobKeys.videoPrefix(marker))).isEmpty());
        assertThat(store.stat(BlobKeys.mp4(root))).isPresent();
        assertThat(store.stat(BlobKeys.original(root))).isPresent();
    }

    @Test
    void deletingTheUserCancelsTheirJobs() {
        UUID ownerId = UUID.randomUUID();
        Job queued = JobTestSupport.insert(ownerId, UUID.randomUUID(), JobStatus.QUEUED, Instant.now().plusSeconds(3600),
                null, null);
        Job other = JobTestSupport.insert(UUID.randomUUID(), UUID.randomUUID(), JobStatus.QUEUED,
                Instant.now().plusSeconds(3600), null, null);
        KafkaTestClient.publish(Topics.USER_DELETED, CloudEvent.of(Topics.USER_DELETED, "/clipflow/auth-service",
                ownerId.toString(), new UserDeleted(ownerId, "gone@example.com", null)));
        await().atMost(WAIT).until(() -> JobTestSupport.find(queued.id).status == JobStatus.FAILED);
        assertThat(JobTestSupport.find(other.id).status).isEqualTo(JobStatus.QUEUED);
    }

    @Test
    void missingSourceFailsTheJobPermanently() {
        UUID target = UUID.randomUUID();
        UUID owner = UUID.randomUUID();
        UUID source = UUID.randomUUID();
        transcodedFor(owner, source); // the owner's video, its MP4 gone from the store
        KafkaTestClient.publish(Topics.TRANSCODE_REQUESTS, JobTestSupport.request(new TranscodeRequest(UUID.randomUUID(),
                TranscodeRequest.Type.TRIM, target, List.of(source), owner,
                Map.of("startSeconds", 0, "endSeconds", 1))));
        JsonNode failed = KafkaTestClient.awaitData(Topics.VIDEO_FAILED, "videoId", target, WAIT);
        assertThat(failed.at("/data/stage").asText()).isEqualTo("TRIM");
        assertThat(failed.at("/data/reason").asText()).isEqualTo("The source video is missing from storage.");
    }

    @Inject
    dev.clipflow.transcode.config.TranscodeConfig config;

    @Inject
    dev.clipflow.transcode.worker.JobStore jobStore;

    private Path scratchRoot() throws java.io.IOException {
        Path root = Path.of(config.scratchDir()).toAbsolutePath();
        Files.createDirectories(root);
        return root;
    }

    @Test
    void aJobHandedBackAtShutdownRunsAgainWithoutLosingAnAttempt() {
        UUID videoId = UUID.randomUUID();
        store.putFile(BlobKeys.original(videoId), TestClips.mp4(dir, "handback.mp4", 160, 120, 1, true), "video/mp4");
        // a worker is stopping (SIGTERM) while it holds this job: it hands it back instead of finishing
        Job job = JobTestSupport.insert(UUID.randomUUID(), videoId, JobStatus.RUNNING, Instant.now(),
                "stopping-worker", Instant.now().plusSeconds(3600));
        jobStore.handBack(job.id, "stopping-worker");

        KafkaTestClient.awaitData(Topics.VIDEO_TRANSCODED, "videoId", videoId, WAIT);
        Job done = JobTestSupport.find(job.id);
        assertThat(done.status).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(done.attempts).isEqualTo(1);
    }

    /** Records that {@code videoId} was transcoded here for {@code ownerId}, as its upload's job would have. */
    private static void transcodedFor(UUID ownerId, UUID videoId) {
        JobTestSupport.insert(ownerId, videoId, JobStatus.SUCCEEDED, Instant.now(), null, null);
    }

    private MediaInfo probe(String key) {
        Path file = dir.resolve(UUID.randomUUID() + ".mp4");
        store.download(key, file);
        return media.probe(file);
    }

    /** The {@code video.stored} of this kind the transcode of the video sent. */
    private static JsonNode stored(UUID videoId, String kind) {
        return KafkaTestClient.await(Topics.VIDEO_STORED,
                r -> r.json() != null && videoId.toString().equals(r.json().path("data").path("videoId").asText())
                        && kind.equals(r.json().path("data").path("kind").asText()),
                list -> !list.isEmpty(), WAIT).get(0).json();
    }

    private String read(String key) throws Exception {
        Path file = dir.resolve(UUID.randomUUID() + ".txt");
        store.download(key, file);
        return Files.readString(file);
    }
}
