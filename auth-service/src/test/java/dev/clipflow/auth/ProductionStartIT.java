package dev.clipflow.auth;

import dev.clipflow.auth.token.KeyMaterial;
import dev.clipflow.testinfra.files.Folders;
import dev.clipflow.testinfra.servers.KafkaBroker;
import dev.clipflow.testinfra.servers.PackagedService;
import dev.clipflow.testinfra.servers.Ports;
import dev.clipflow.testinfra.servers.Postgres;
import io.restassured.RestAssured;
import org.jose4j.jwk.HttpsJwks;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.HttpsJwksVerificationKeyResolver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The packaged auth-service in its production profile, configured the way the Helm chart runs it: the
 * signing key and the client secrets are folders (the mounted Secrets clipflow-jwt and
 * clipflow-service-clients, laid out as Kubernetes mounts them: keys are symbolic links into a
 * {@code ..data} folder) named by {@code CLIPFLOW_AUTH_KEY_DIR} and {@code CLIPFLOW_SERVICE_CLIENT_DIR}.
 * Without either secret it refuses to start and says what is missing, instead of generating one.
 */
class ProductionStartIT {

    static Path work;
    static Postgres postgres;
    static KafkaBroker kafka;
    static KeyPair signing;
    static KeyPair previous;

    @BeforeAll
    static void servers() throws Exception {
        work = Files.createTempDirectory("clipflow-auth-prod");
        postgres = Postgres.start(work.resolve("pg"), Ports.free());
        kafka = KafkaBroker.start(work.resolve("kafka"), Ports.free(), Ports.free(), work.resolve("kafka.log"));
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        signing = generator.generateKeyPair();
        previous = generator.generateKeyPair();
    }

    @AfterAll
    static void stop() throws Exception {
        kafka.close();
        postgres.close();
        Folders.deleteTree(work);
    }

    @Test
    void withoutASigningKeyItRefusesToStartInsteadOfGeneratingOne() throws Exception {
        Path keys = secret("no-key", Map.of());
        Path clients = secret("clients-1", Map.of("upload-service", "new-upload-secret"));
        assertThatThrownBy(() -> launcher("no-key", keys, clients).start().close())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("died")
                .hasMessageContaining("No signing key: " + keys.resolve(KeyMaterial.KEY_FILE))
                .hasMessageContaining("CLIPFLOW_AUTH_KEY_DIR");
        // a read-only Secret folder in a pod: nothing may be written there
        try (var left = Files.list(keys)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("..data");
        }
    }

    @Test
    void withoutServiceClientsItRefusesToStart() throws Exception {
        Path keys = secret("keys-1", Map.of(KeyMaterial.KEY_FILE, pem("PRIVATE KEY", signing.getPrivate().getEncoded())));
        Path clients = secret("no-clients", Map.of());
        assertThatThrownBy(() -> launcher("no-clients", keys, clients).start().close())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("No service clients")
                .hasMessageContaining("CLIPFLOW_SERVICE_CLIENT_DIR");
    }

    @Test
    void twoReplicasSignWithTheMountedKeyPublishThePreviousOneAndAcceptOldAndNewClientSecrets() throws Exception {
        Path keys = secret("keys-2", Map.of(
                KeyMaterial.KEY_FILE, pem("PRIVATE KEY", signing.getPrivate().getEncoded()),
                "previous.pem", pem("PUBLIC KEY", previous.getPublic().getEncoded())));
        Path clients = secret("clients-2", Map.of(
                "upload-service", "new-upload-secret\n",
                "upload-service.previous", "old-upload-secret",
                "catalog-service", "catalog-secret"));
        try (PackagedService one = launcher("replica-1", keys, clients).start();
             PackagedService two = launcher("replica-2", keys, clients).start()) {
            String kid = thumbprint((RSAPublicKey) signing.getPublic());
            for (PackagedService replica : List.of(one, two)) {
                List<String> kids = RestAssured.get(replica.baseUrl() + "/api/auth/jwks").then().statusCode(200)
                        .extract().path("keys.kid");
                assertThat(kids).containsExactly(kid, thumbprint((RSAPublicKey) previous.getPublic()));
            }

            // during a rotation the client may still send its old secret, or already the new one
            assertThat(token(one, "upload-service", "new-upload-secret")).isNotNull();
            assertThat(token(two, "upload-service", "old-upload-secret")).isNotNull();
            assertThat(token(one, "catalog-service", "catalog-secret")).isNotNull();
            RestAssured.given().formParam("grant_type", "client_credentials").formParam("client_id", "upload-service")
                    .formParam("client_secret", "catalog-secret").post(one.baseUrl() + "/internal/auth/token")
                    .then().statusCode(401);

            // a token one replica signed verifies with the other's JWKS
            String fromTwo = token(two, "catalog-service", "catalog-secret");
            var verifier = new JwtConsumerBuilder().setExpectedIssuer("https://clipflow.example.com/auth")
                    .setVerificationKeyResolver(new HttpsJwksVerificationKeyResolver(
                            new HttpsJwks(one.baseUrl() + "/api/auth/jwks")))
                    .build();
            assertThat(verifier.processToClaims(fromTwo).getSubject()).isEqualTo("service:catalog-service");
        }
    }

    private static String token(PackagedService auth, String client, String secret) {
        return RestAssured.given().formParam("grant_type", "client_credentials").formParam("client_id", client)
                .formParam("client_secret", secret).post(auth.baseUrl() + "/internal/auth/token")
                .then().statusCode(200).extract().path("access_token");
    }

    /** The production profile (the packaged default) with the chart's variables for the mounted Secrets. */
    private static PackagedService.Launcher launcher(String name, Path keys, Path clients) {
        return PackagedService.launcher("auth-service", work.resolve(name + ".log"))
                .jvmOptions(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"))
                .property("quarkus.datasource.jdbc.url", postgres.jdbcUrl("postgres"))
                .property("quarkus.datasource.username", Postgres.USER)
                .property("quarkus.datasource.password", "postgres")
                .property("kafka.bootstrap.servers", kafka.bootstrapServers())
                .property("clipflow.auth.passwords.bcrypt-cost", 4)
                .environment("CLIPFLOW_JWT_ISSUER", "https://clipflow.example.com/auth")
                .environment("CLIPFLOW_ADMIN_PASSWORD", "Bootstrap-Admin-9")
                .environment("CLIPFLOW_AUTH_KEY_DIR", keys.toString())
                .environment("CLIPFLOW_SERVICE_CLIENT_DIR", clients.toString());
    }

    /**
     * A folder laid out like a Secret volume: the files live in a timestamped folder that {@code ..data}
     * links to, and each key is a symbolic link {@code <key> -> ..data/<key>}.
     */
    private static Path secret(String name, Map<String, String> files) throws Exception {
        Path data = Files.createDirectories(work.resolve("secrets").resolve(name + "-2026_12_05_16_00_00"));
        for (var file : files.entrySet()) {
            Files.writeString(data.resolve(file.getKey()), file.getValue());
        }
        Path dir = Files.createDirectories(work.resolve("secrets").resolve(name));
        Files.createSymbolicLink(dir.resolve("..data"), data);
        for (String key : files.keySet()) {
            Files.createSymbolicLink(dir.resolve(key), Path.of("..data").resolve(key));
        }
        return dir;
    }

    private static String pem(String type, byte[] der) {
        return KeyMaterial.pem(type, der);
    }

    private static String thumbprint(RSAPublicKey key) {
        return new RsaJsonWebKey(key).calculateBase64urlEncodedThumbprint("SHA-256");
    }
}
