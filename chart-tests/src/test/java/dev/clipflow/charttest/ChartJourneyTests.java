package dev.clipflow.charttest;

import io.restassured.response.Response;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The user journey through the chart as a cluster runs it (see {@link ChartStack}): every Deployment
 * as two pods with the rendered environment, JVM options and volumes on a read-only root, the
 * Services and the Ingress in front. Each test makes its own users and data; a subclass says which
 * values the chart is rendered with.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ChartJourneyTests {

    /** The services a client reaches, with a path of each that needs a valid token (200 for any user). */
    private static final Map<String, String> PROTECTED = Map.of(
            "auth-service", "/api/auth/me",
            "upload-service", "/api/uploads",
            "transcode-service", "/api/jobs",
            "catalog-service", "/api/videos",
            "quota-service", "/api/quota/me",
            "notify-service", "/api/webhooks");

    ChartStack stack;
    Journey journey;

    /** Starts the stack with this variant's values. */
    abstract ChartStack start();

    @BeforeAll
    void startStack() {
        stack = start();
        journey = new Journey(stack);
        System.out.printf("chart stack %s: %d pods ready in %d s; container restarts: %s%n", stack.variant,
                stack.pods.values().stream().mapToInt(List::size).sum(), stack.startup.toSeconds(),
                stack.pods.values().stream().flatMap(List::stream).filter(p -> p.restarts > 0)
                        .map(p -> p.name + " " + p.restarts).toList());
    }

    @AfterAll
    void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    /** The public URL users reach (what mailed and shared links must start with). */
    String publicUrl() {
        return (stack.ingressTls() ? "https://" : "http://") + stack.ingressHost();
    }

    @Test
    void everyPodRunsOnAReadOnlyRootWithItsEmptyDirsAtTheirSizeLimits() {
        SoftAssertions soft = new SoftAssertions();
        for (List<Pod> replicas : stack.pods.values()) {
            for (Pod pod : replicas) {
                for (String path : List.of("/written-by-the-test", "/deployments/written-by-the-test",
                        "/etc/written-by-the-test")) {
                    Pod.Exec touch = pod.exec("touch", path);
                    soft.assertThat(touch.output()).as("%s: touch %s (even as root)", pod.name, path)
                            .contains("Read-only file system");
                }
                for (var tmpfs : pod.tmpfsSizes.entrySet()) {
                    // statfs of the mount point: blocks, block size, file system type
                    String[] statfs = pod.exec("stat", "-f", "-c", "%b %S %T", tmpfs.getKey()).output().trim().split(" ");
                    soft.assertThat(statfs).as("%s: the emptyDir at %s (statfs)", pod.name, tmpfs.getKey()).hasSize(3);
                    if (statfs.length == 3) {
                        soft.assertThat(statfs[2]).as("%s: the emptyDir at %s", pod.name, tmpfs.getKey()).isEqualTo("tmpfs");
                        soft.assertThat(Long.parseLong(statfs[0]) * Long.parseLong(statfs[1]))
                                .as("%s: size of the emptyDir at %s", pod.name, tmpfs.getKey()).isEqualTo(tmpfs.getValue());
                    }
                }
            }
        }
        soft.assertAll();
    }

    @Test
    void tokensFromEitherAuthReplicaAreAcceptedByEveryReplicaOfEveryService() {
        List<Pod> auth = stack.pods("auth-service");
        String password = stack.secrets.value("clipflow-admin", "password");
        List<String> tokens = auth.stream()
                .map(pod -> Journey.login(pod.baseUrl(), TestSecrets.ADMIN_EMAIL, password).accessToken()).toList();
        SoftAssertions soft = new SoftAssertions();
        Set<Object> keyIds = auth.stream()
                .map(pod -> Set.copyOf(given().get(pod.baseUrl() + "/api/auth/jwks").jsonPath().getList("keys.kid")))
                .collect(Collectors.toSet());
        soft.assertThat(keyIds).as("the key ids each auth-service replica publishes (one set: they sign with one key)")
                .hasSize(1);
        for (int t = 0; t < tokens.size(); t++) {
            for (var service : PROTECTED.entrySet()) {
                for (Pod pod : stack.pods(service.getKey())) {
                    Response response = given().auth().oauth2(tokens.get(t)).get(pod.baseUrl() + service.getValue());
                    soft.assertThat(response.statusCode()).as("token signed by %s, GET %s on %s: %s",
                            auth.get(t).name, service.getValue(), pod.name, response.asString()).isEqualTo(200);
                }
            }
        }
        soft.assertAll();
    }

    @Test
    void signUpThroughTheIngressWithTheLinkOfTheActivationMail() {
        String email = "s" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        String password = "Correct-Horse-" + UUID.randomUUID().toString().substring(0, 6);
        Journey.MailLink link = journey.register(email, password);
        given().contentType("application/json").body(Map.of("token", link.token()))
                .post(journey.url("/api/auth/activate")).then().statusCode(200);
        Journey.login(stack.gateway(), email, password);
        assertThat(link.base()).as("the activation mail's link (CLIPFLOW_FRONTEND_URL of auth-service)")
                .startsWith(publicUrl() + "/");
    }

    @Test
    void uploadReservesAndCommitsItsQuotaThroughTheChartsQuotaServiceUrl(@TempDir Path dir) throws IOException {
        Journey.User user = journey.signUp();
        Path clip = Media.clip(dir, "quota-" + UUID.randomUUID().toString().substring(0, 6) + ".mp4", 320, 240, 2.0);
        int before = stack.proxies.accessLog(quotaServiceName()).size();

        journey.upload(user, clip, 64 * 1024, 2);

        long size = Files.size(clip);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(given().auth().oauth2(user.accessToken())
                .get(journey.url("/api/quota/me")).then().statusCode(200).extract().jsonPath().getLong("storage.usedBytes"))
                .as("the user's used storage after the upload").isEqualTo(size));
        Set<String> uploadPods = stack.pods("upload-service").stream().map(p -> p.ip).collect(Collectors.toSet());
        List<String> calls = stack.proxies.accessLog(quotaServiceName()).stream().skip(before)
                .filter(line -> uploadPods.contains(line.substring(0, line.indexOf(' ')))).toList();
        assertThat(calls).as("calls from upload-service pods through the quota-service Service (%s)", quotaServiceName())
                .anyMatch(line -> line.contains("POST /internal/quota/reservations "))
                .anyMatch(line -> line.matches(".*POST /internal/quota/reservations/[^ ]+/commit .*"));
    }

    @Test
    void aShareLinkMadeOnOneCatalogReplicaPlaysThroughTheOther(@TempDir Path dir) {
        Journey.User user = journey.signUp();
        Path clip = Media.clip(dir, "share-" + UUID.randomUUID().toString().substring(0, 6) + ".mp4", 320, 240, 2.0);
        UUID video = journey.upload(user, clip, 64 * 1024, 2);
        journey.awaitReady(user, video, Duration.ofMinutes(3));

        List<Pod> catalog = stack.pods("catalog-service");
        Response share = given().auth().oauth2(user.accessToken()).contentType("application/json")
                .body(Map.of("expiresInSeconds", 600)).post(catalog.get(0).baseUrl() + "/api/videos/" + video + "/share");
        assertThat(share.statusCode()).as("share on %s: %s", catalog.get(0).name, share.asString()).isEqualTo(201);
        String token = share.jsonPath().getString("token");

        SoftAssertions soft = new SoftAssertions();
        for (Pod pod : catalog) {
            Response played = given().header("Range", "bytes=0-99").get(pod.baseUrl() + "/api/share/" + token + "/stream");
            soft.assertThat(played.statusCode()).as("the share link made on %s, played on %s: %s", catalog.get(0).name,
                    pod.name, played.asString()).isEqualTo(206);
        }
        soft.assertThat(share.jsonPath().getString("url")).as("the share link's URL (CLIPFLOW_PUBLIC_BASE_URL of catalog-service)")
                .startsWith(publicUrl() + "/");
        soft.assertAll();
    }

    @Test
    void aHalfGibUploadIsTranscodedToReadyWithinThePodsVolumes() throws IOException {
        Path video = Media.halfGibVideo(Path.of("target", "media").toAbsolutePath());
        long size = Files.size(video);
        Journey.User user = journey.signUp();
        journey.setQuota(journey.admin(), user.id(), 4 * size, 8 * size);

        UUID id = journey.upload(user, video, 32L * 1024 * 1024, 2);
        var ready = journey.awaitReady(user, id, Duration.ofMinutes(15));

        assertThat(ready.getInt("height")).isEqualTo(720);
        assertThat(ready.getList("renditions")).isNotEmpty();
        assertThat(given().auth().oauth2(user.accessToken()).get(journey.url("/api/quota/me"))
                .then().statusCode(200).extract().jsonPath().getLong("storage.usedBytes"))
                .as("the user's used storage: the upload's size").isEqualTo(size);
        assertThat(stack.deadPods()).as("pods that died during the upload").isEmpty();
    }

    private String quotaServiceName() {
        return stack.chart.services().stream().map(s -> s.getMetadata().getName())
                .filter(name -> name.endsWith("quota-service")).findFirst().orElseThrow();
    }
}
