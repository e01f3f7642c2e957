package dev.clipflow.transcode.job;

import dev.clipflow.testinfra.resources.JwtResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

/** The jobs API: who sees what, filters, paging, retry rules, bad input. */
@QuarkusTest
class JobResourceTest {

    private static final Instant LATER = Instant.now().plusSeconds(24 * 3600);

    @Test
    void ownerSeesTheirJobInTheContractShape() {
        UUID owner = UUID.randomUUID();
        Job job = JobTestSupport.insert(owner, UUID.randomUUID(), JobStatus.QUEUED, LATER, null, null);
        given().auth().oauth2(JwtResource.tokens().user(owner)).when().get("/api/jobs/" + job.id)
                .then().statusCode(200)
                .body("id", equalTo(job.id.toString()))
                .body("type", equalTo("TRANSCODE"))
                .body("status", equalTo("QUEUED"))
                .body("progress", equalTo(0))
                .body("videoId", equalTo(job.videoId.toString()))
                .body("sourceVideoIds.size()", equalTo(0))
                .body("error", org.hamcrest.Matchers.nullValue())
                .body("createdAt", notNullValue())
                .body("updatedAt", notNullValue())
                .body("keySet()", equalTo(java.util.Set.of("id", "type", "status", "progress", "videoId",
                        "sourceVideoIds", "error", "createdAt", "updatedAt")));
    }

    @Test
    void anotherUsersJobIsNotFoundButAdminSeesIt() {
        Job job = JobTestSupport.insert(UUID.randomUUID(), UUID.randomUUID(), JobStatus.SUCCEEDED, Instant.now(), null, null);
        given().auth().oauth2(JwtResource.tokens().user(UUID.randomUUID())).when().get("/api/jobs/" + job.id)
                .then().statusCode(404).contentType("application/problem+json").body("code", equalTo("not_found"));
        given().auth().oauth2(JwtResource.tokens().user(UUID.randomUUID())).queryParam("videoId", job.videoId)
                .when().get("/api/jobs").then().statusCode(200).body("total", equalTo(0));
        given().auth().oauth2(JwtResource.tokens().admin(UUID.randomUUID())).when().get("/api/jobs/" + job.id)
                .then().statusCode(200).body("status", equalTo("SUCCEEDED"));
    }

    @Test
    void listsArePagedAndFiltered() {
        UUID owner = UUID.randomUUID();
        UUID video = UUID.randomUUID();
        for (int i = 0; i < 3; i++) {
            JobTestSupport.insert(owner, video, JobStatus.FAILED, Instant.now(), null, null);
        }
        JobTestSupport.insert(owner, UUID.randomUUID(), JobStatus.SUCCEEDED, Instant.now(), null, null);
        String token = JwtResource.tokens().user(owner);
        given().auth().oauth2(token).queryParam("size", 2).when().get("/api/jobs")
                .then().statusCode(200).body("total", equalTo(4)).body("size", equalTo(2)).body("page", equalTo(0))
                .body("items.size()", equalTo(2));
        given().auth().oauth2(token).queryParam("videoId", video).queryParam("page", 1).queryParam("size", 2)
                .when().get("/api/jobs")
                .then().statusCode(200).body("total", equalTo(3)).body("items.size()", equalTo(1));
        given().auth().oauth2(token).queryParam("size", 1000).when().get("/api/jobs")
                .then().statusCode(200).body("size", equalTo(100));

        // admin: status across all users
        given().auth().oauth2(JwtResource.tokens().admin(UUID.randomUUID())).queryParam("status", "failed")
                .queryParam("size", 100).when().get("/api/jobs")
                .then().statusCode(200).body("total", greaterThanOrEqualTo(3))
                .body("items.status", everyItem(equalTo("FAILED")))
                .body("items.videoId", hasItem(video.toString()));
    }

    @Test
    void badQueriesAreProblems() {
        String token = JwtResource.tokens().user(UUID.randomUUID());
        given().auth().oauth2(token).queryParam("status", "DONE").when().get("/api/jobs")
                .then().statusCode(400).contentType("application/problem+json").body("code", equalTo("request.invalid_value"));
        given().auth().oauth2(token).queryParam("videoId", "not-a-uuid").when().get("/api/jobs")
                .then().statusCode(400).body("code", equalTo("request.invalid_value"));
        given().auth().oauth2(token).queryParam("page", -1).when().get("/api/jobs")
                .then().statusCode(400).body("code", equalTo("request.invalid_paging"));
        given().auth().oauth2(token).when().get("/api/jobs/not-a-uuid").then().statusCode(404);
        given().auth().oauth2(token).when().get("/api/jobs/" + UUID.randomUUID()).then().statusCode(404);
        given().when().get("/api/jobs/" + UUID.randomUUID()).then().statusCode(401);
    }

    @Test
    void onlyAdminsRetryAndOnlyFailedJobs() {
        UUID owner = UUID.randomUUID();
        Job failed = JobTestSupport.insert(owner, UUID.randomUUID(), JobStatus.FAILED, Instant.now(), null, null);
        Job succeeded = JobTestSupport.insert(owner, UUID.randomUUID(), JobStatus.SUCCEEDED, Instant.now(), null, null);

        given().auth().oauth2(JwtResource.tokens().user(owner)).when().post("/api/jobs/" + failed.id + "/retry")
                .then().statusCode(403).contentType("application/problem+json");
        assert JobTestSupport.find(failed.id).status == JobStatus.FAILED;

        String admin = JwtResource.tokens().admin(UUID.randomUUID());
        given().auth().oauth2(admin).when().post("/api/jobs/" + succeeded.id + "/retry")
                .then().statusCode(409).body("code", equalTo("job.not_failed"));
        given().auth().oauth2(admin).when().post("/api/jobs/" + UUID.randomUUID() + "/retry")
                .then().statusCode(404);
        given().auth().oauth2(admin).when().post("/api/jobs/" + failed.id + "/retry")
                .then().statusCode(202).body("status", not(equalTo("FAILED"))).body("progress", equalTo(0));
    }
}
