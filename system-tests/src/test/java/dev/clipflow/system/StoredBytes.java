package dev.clipflow.system;

import io.restassured.path.json.JsonPath;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Collection;
import java.util.UUID;

import static dev.clipflow.system.Videos.url;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** Compares a user's {@code GET /api/quota/me} with the local blob store's listing, to the byte. */
final class StoredBytes {

    private StoredBytes() {
    }

    /**
     * The quota names exactly {@code videos}, each with the bytes the store holds for it (original, MP4, HLS
     * renditions, thumbnail, captions, storyboard, audio-only download), the total is their sum, the charged bytes are the originals and nothing is reserved.
     */
    static void assertExact(Users.User user, Collection<UUID> videos) {
        JsonPath quota = given().auth().oauth2(user.accessToken()).get(url("/api/quota/me"))
                .then().statusCode(200).extract().jsonPath();
        assertThat(quota.getList("files.videoId", String.class)).as("videos on the quota")
                .containsExactlyInAnyOrderElementsOf(videos.stream().map(UUID::toString).toList());
        for (UUID video : videos) {
            String file = "files.find { it.videoId == '" + video + "' }.";
            assertThat(quota.getLong(file + "sizeBytes")).as("original of %s", video)
                    .isEqualTo(Blobs.bytes("originals/" + video));
            assertThat(quota.getLong(file + "mp4Bytes")).as("MP4 of %s", video)
                    .isEqualTo(size("videos/" + video + "/video.mp4"));
            assertThat(quota.getLong(file + "thumbnailBytes")).as("thumbnail of %s", video)
                    .isEqualTo(size("videos/" + video + "/thumbnail.jpg"));
            assertThat(quota.getLong(file + "renditionsBytes")).as("HLS renditions of %s", video)
                    .isEqualTo(Blobs.bytes("videos/" + video + "/hls"));
            assertThat(quota.getLong(file + "captionsBytes")).as("captions of %s", video)
                    .isEqualTo(Blobs.bytes("videos/" + video + "/captions"));
            assertThat(quota.getLong(file + "storyboardBytes")).as("storyboard of %s", video)
                    .isEqualTo(size("videos/" + video + "/storyboard.jpg") + size("videos/" + video + "/storyboard.vtt"));
            assertThat(quota.getLong(file + "audioBytes")).as("audio-only download of %s", video)
                    .isEqualTo(size("videos/" + video + "/audio.m4a"));
            assertThat(quota.getLong(file + "originalBytes")).as("original of %s still stored", video)
                    .isEqualTo(Blobs.bytes("originals/" + video));
            assertThat(quota.getLong(file + "storedBytes")).as("every byte of %s", video)
                    .isEqualTo(Blobs.bytesOfVideo(video));
        }
        assertThat(quota.getLong("storage.storedBytes")).as("every byte of the user's videos")
                .isEqualTo(videos.stream().mapToLong(Blobs::bytesOfVideo).sum());
        assertThat(quota.getLong("storage.usedBytes")).as("the originals, charged")
                .isEqualTo(videos.stream().mapToLong(v -> Blobs.bytes("originals/" + v)).sum());
        assertThat(quota.getLong("storage.reservedBytes")).as("reserved bytes").isZero();
    }

    private static long size(String key) {
        try {
            return Files.exists(Blobs.file(key)) ? Files.size(Blobs.file(key)) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
