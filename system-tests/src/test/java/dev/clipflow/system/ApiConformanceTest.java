package dev.clipflow.system;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The running gateway against the document it serves at /api/openapi.json: a user's and an admin's calls over
 * every part of the public API, successes and failures, each response checked by {@link OpenApiConformance}
 * (documented operation and status, documented media type, JSON body matching its schema, never a 5xx).
 */
@Tag("journey")
@ExtendWith(Stack.class)
class ApiConformanceTest {

    static OpenApiConformance conformance;

    @BeforeAll
    static void checkEveryResponse() {
        conformance = OpenApiConformance.of(Stack.get().gateway());
        RestAssured.filters(conformance);
    }

    @AfterAll
    static void stopChecking() {
        RestAssured.replaceFiltersWith(new ArrayList<>());
    }

    @Test
    void everyResponseConformsToTheDocument(@TempDir Path dir) {
        Users.User user = Users.signUp("Conformance");
        Users.User admin = Users.admin();
        UUID video = Videos.uploadChunked(user, Media.clip(dir, Videos.unique() + ".mp4", 320, 240, 1.0), "Conformance", "Vlog");
        Videos.awaitReady(user, video);

        // a user's reads
        as(user).get(url("/api/auth/me"));
        as(user).get(url("/api/videos"));
        as(user).queryParam("scope", "all").queryParam("q", "Conformance").get(url("/api/videos"));
        as(user).get(url("/api/videos/" + video));
        as(user).header("Range", "bytes=0-1023").get(url("/api/videos/" + video + "/stream"));
        as(user).head(url("/api/videos/" + video + "/download"));
        as(user).get(url("/api/videos/" + video + "/hls/master.m3u8"));
        as(user).get(url("/api/videos/" + video + "/thumbnail"));
        as(user).get(url("/api/videos/" + video + "/direct-url"));
        as(user).header("Range", "bytes=0-99").get(url("/api/videos/" + video + "/original"));
        as(user).contentType("text/vtt").body("WEBVTT\n\n00:00.000 --> 00:00.900\nConformance\n")
                .put(url("/api/videos/" + video + "/captions/en"));
        as(user).get(url("/api/videos/" + video + "/captions"));
        as(user).get(url("/api/videos/" + video + "/captions/en"));
        as(user).get(url("/api/videos/" + video + "/hls/subs/en.m3u8"));
        as(user).queryParam("videoId", video).get(url("/api/jobs"));
        as(user).get(url("/api/uploads"));
        as(user).get(url("/api/quota/me"));
        as(user).get(url("/api/categories"));
        // changes
        as(user).contentType("application/json").body(Map.of("title", "Conformance, renamed"))
                .patch(url("/api/videos/" + video));
        String token = as(user).contentType("application/json").body(Map.of("expiresInSeconds", 600))
                .post(url("/api/videos/" + video + "/share")).then().statusCode(201).extract().path("token");
        given().get(url("/api/share/" + token));
        given().header("Range", "bytes=0-99").get(url("/api/share/" + token + "/stream"));
        given().get(url("/api/share/" + token + "/hls/master.m3u8"));
        // tus: create, ask the offset, cancel
        String location = as(user).header("Tus-Resumable", "1.0.0").header("Upload-Length", "1000")
                .header("Upload-Metadata", "filename " + Base64.getEncoder().encodeToString("tus.mp4".getBytes()))
                .post(url("/api/tus")).then().statusCode(201).extract().header("Location");
        String tus = location.substring(location.indexOf("/api/tus"));
        as(user).header("Tus-Resumable", "1.0.0").head(url(tus));
        as(user).header("Tus-Resumable", "1.0.0").delete(url(tus));
        as(user).header("Tus-Resumable", "1.0.0").options(url("/api/tus"));

        // failures the document names
        given().get(url("/api/videos"));                                              // 401
        as(user).get(url("/api/videos/" + UUID.randomUUID()));                        // 404
        as(user).get(url("/api/admin/users"));                                       // 403
        as(user).contentType("application/json").body("{\"fileName\":").post(url("/api/uploads")); // 400
        given().contentType("application/json")
                .body(Map.of("email", user.email(), "password", "Correct-Horse-Battery-7"))
                .post(url("/api/auth/register"));                                      // 409
        given().contentType("application/json").body(Map.of("email", user.email(), "password", "wrong-password-1"))
                .post(url("/api/auth/login"));                                         // 401
        given().get(url("/api/share/not-a-token"));                                    // 404
        as(user).contentType("application/x-subrip").body("garbage".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .put(url("/api/videos/" + video + "/captions/fr"));                    // 400

        // an admin's calls
        as(admin).queryParam("q", user.email()).get(url("/api/admin/users"));
        Map<String, Object> account = as(admin).get(url("/api/admin/users/" + user.id())).then().statusCode(200)
                .extract().jsonPath().getMap("");
        Map<String, Object> renamed = new HashMap<>(account);
        renamed.put("displayName", "Conformance Two");
        as(admin).contentType("application/json").body(renamed).put(url("/api/admin/users/" + user.id()));
        Map<String, Object> quota = as(admin).get(url("/api/admin/quota/" + user.id())).then().statusCode(200)
                .extract().jsonPath().getMap("");
        as(admin).contentType("application/json").body(quota).put(url("/api/admin/quota/" + user.id()));
        as(admin).queryParam("ownerId", user.id()).get(url("/api/admin/videos"));
        as(admin).queryParam("status", "FAILED").get(url("/api/jobs"));

        assertThat(conformance.violations()).as("responses that do not conform to /api/openapi.json").isEmpty();
        assertThat(conformance.checked()).as("operations checked").hasSizeGreaterThan(30);
    }

    private static RequestSpecification as(Users.User user) {
        return given().auth().oauth2(user.accessToken());
    }

    private static String url(String path) {
        return Stack.get().gateway() + path;
    }
}
