package dev.clipflow.system;

import dev.clipflow.contracts.events.Topics;
import io.restassured.path.json.JsonPath;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;

import static dev.clipflow.system.Videos.url;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * transcode-service dies (kill -9) in the middle of a job and comes back with {@code ./clipflow up}:
 * the job is taken up again, the video becomes READY, and it has exactly one set of outputs, no
 * scratch files left behind and one {@code video.transcoded} event.
 */
@Tag("fault")
@ExtendWith(Stack.class)
class TranscodeCrashTest {

    private static final double SECONDS = 16.0;

    @Test
    void killedMidJobTheVideoStillBecomesReadyWithOneSetOfOutputs(@TempDir Path dir) throws IOException {
        Users.User dana = Users.signUp("Dana");
        Path source = Media.clip(dir, Videos.unique() + ".mp4", 1280, 720, SECONDS);
        UUID video = Videos.uploadChunked(dana, source, "Long take", "Vlog");

        UUID jobId = Videos.awaitJobRunning(dana, video);
        Stack.get().kill9("transcode-service");
        try {
            // the crash really cut the job short
            JsonPath afterKill = Videos.get(dana, video);
            assertThat(afterKill.getString("status")).isEqualTo("PROCESSING");
            assertThat(Blobs.files("videos/" + video)).doesNotContain("video.mp4");
        } finally {
            Stack.get().upAgain();
        }

        JsonPath ready = Videos.awaitReady(dana, video);
        assertThat(ready.getDouble("durationSeconds")).isCloseTo(SECONDS, within(0.5));
        assertThat(ready.getList("renditions")).isNotEmpty().doesNotHaveDuplicates();

        // one job, finished once
        List<Map<String, Object>> jobs = given().auth().oauth2(dana.accessToken()).queryParam("videoId", video)
                .get(url("/api/jobs")).then().statusCode(200).extract().jsonPath().getList("items");
        assertThat(jobs).singleElement().satisfies(job -> {
            assertThat(job.get("id")).isEqualTo(jobId.toString());
            assertThat(job.get("status")).isEqualTo("SUCCEEDED");
        });

        // exactly one set of outputs in the blob store: one MP4, one master playlist, each rendition's (and the
        // audio-only variant's) playlist with every segment it references and nothing else, one thumbnail, one
        // audio-only download
        TreeSet<String> files = Blobs.files("videos/" + video);
        TreeSet<String> expected = new TreeSet<>(List.of("video.mp4", "thumbnail.jpg", "storyboard.jpg", "storyboard.vtt",
                "hls/master.m3u8", "audio.m4a"));
        List<String> renditions = Blobs.playlistUris(Blobs.file("videos/" + video + "/hls/master.m3u8"));
        assertThat(renditions).isNotEmpty().doesNotHaveDuplicates()
                .allSatisfy(uri -> assertThat(uri).matches("[0-9a-z]+/index\\.m3u8"));
        for (String playlist : renditions) {
            expected.add("hls/" + playlist);
            String folder = playlist.substring(0, playlist.indexOf('/') + 1);
            List<String> segments = Blobs.playlistUris(Blobs.file("videos/" + video + "/hls/" + playlist));
            assertThat(segments).as(playlist).isNotEmpty().doesNotHaveDuplicates();
            segments.forEach(segment -> expected.add("hls/" + folder + segment));
        }
        assertThat(files).containsExactlyElementsOf(expected);
        assertThat(Blobs.files("originals/" + video)).containsExactly("source");
        assertThat(Media.duration(Blobs.file("videos/" + video + "/video.mp4").toString(), null))
                .isCloseTo(SECONDS, within(0.5));

        // the crashed attempt left no scratch files, and no ffmpeg of it is still running
        Path scratch = Stack.get().home().resolve("transcode-scratch");
        if (Files.isDirectory(scratch)) {
            try (Stream<Path> leftovers = Files.list(scratch)) {
                assertThat(leftovers.map(p -> p.getFileName().toString()))
                        .noneMatch(name -> name.startsWith(jobId.toString()));
            }
        }
        assertThat(ProcessHandle.allProcesses().map(p -> p.info().commandLine().orElse("")))
                .noneMatch(command -> command.contains(scratch.toString()) && command.contains(jobId.toString()));

        // one video.transcoded for the video on Kafka
        List<ConsumerRecord<String, String>> transcoded = KafkaTopics.readAll(Topics.VIDEO_TRANSCODED).stream()
                .filter(record -> video.toString().equals(record.key())).toList();
        assertThat(transcoded).hasSize(1);
        assertThat(transcoded.get(0).value()).contains(jobId.toString());
        assertThat(KafkaTopics.readAll(Topics.VIDEO_FAILED)).noneMatch(record -> video.toString().equals(record.key()));
    }
}
