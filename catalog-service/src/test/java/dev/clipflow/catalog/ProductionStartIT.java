package dev.clipflow.catalog;

import dev.clipflow.testinfra.files.Folders;
import dev.clipflow.testinfra.servers.JwtIssuer;
import dev.clipflow.testinfra.servers.KafkaBroker;
import dev.clipflow.testinfra.servers.PackagedService;
import dev.clipflow.testinfra.servers.Ports;
import dev.clipflow.testinfra.servers.Postgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The packaged catalog-service in its production profile, with the variables the Helm chart passes:
 * without the share-link key (CLIPFLOW_SHARE_KEY) or its client secret (CLIPFLOW_CLIENT_SECRET) it
 * refuses to start and names the missing setting, instead of signing links with a random key that the
 * other replicas reject and a restart forgets.
 */
class ProductionStartIT {

    static final String SHARE_KEY = "a-share-key-of-at-least-32-characters-0123456789";

    static Path work;
    static Postgres postgres;
    static KafkaBroker kafka;
    static JwtIssuer jwt;

    @BeforeAll
    static void servers() throws Exception {
        work = Files.createTempDirectory("clipflow-catalog-prod");
        postgres = Postgres.start(work.resolve("pg"), Ports.free());
        kafka = KafkaBroker.start(work.resolve("kafka"), Ports.free(), Ports.free(), work.resolve("kafka.log"));
        jwt = JwtIssuer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        jwt.close();
        kafka.close();
        postgres.close();
        Folders.deleteTree(work);
    }

    @Test
    void withoutTheShareKeyItRefusesToStart() {
        assertThatThrownBy(() -> launcher("no-share-key").environment("CLIPFLOW_CLIENT_SECRET", "catalog-secret").start().close())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("died")
                .hasMessageContaining("clipflow.catalog.share.key (CLIPFLOW_SHARE_KEY) is not set");
    }

    @Test
    void withoutItsClientSecretItRefusesToStart() {
        assertThatThrownBy(() -> launcher("no-client-secret").environment("CLIPFLOW_SHARE_KEY", SHARE_KEY).start().close())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("died")
                .hasMessageContaining("CLIPFLOW_CLIENT_SECRET");
    }

    @Test
    void withBothItStarts() throws Exception {
        try (PackagedService catalog = launcher("complete").environment("CLIPFLOW_SHARE_KEY", SHARE_KEY)
                .environment("CLIPFLOW_CLIENT_SECRET", "catalog-secret").start()) {
            assertThat(catalog.process().isAlive()).isTrue();
        }
    }

    private static PackagedService.Launcher launcher(String name) {
        return PackagedService.launcher("catalog-service", work.resolve(name + ".log"))
                .jvmOptions(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"))
                .servers(postgres, kafka, jwt)
                .environment("CLIPFLOW_STORAGE_LOCAL_ROOT", work.resolve("blobs").toString())
                .environment("CLIPFLOW_PUBLIC_BASE_URL", "https://clipflow.example.com");
    }
}
