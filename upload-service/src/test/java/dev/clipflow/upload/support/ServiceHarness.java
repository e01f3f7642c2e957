package dev.clipflow.upload.support;

import dev.clipflow.testinfra.files.Folders;
import dev.clipflow.testinfra.servers.JwtIssuer;
import dev.clipflow.testinfra.servers.KafkaBroker;
import dev.clipflow.testinfra.servers.PackagedService;
import dev.clipflow.testinfra.servers.Ports;
import dev.clipflow.testinfra.servers.Postgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Real servers plus the packaged upload-service ({@code target/quarkus-app}, or the runnable jar
 * named by {@code -Dclipflow.upload.jar=}, e.g. an earlier build to compare with) as separate
 * processes, for replica and restart tests and the benchmark. Everything lives under one temp dir.
 */
public final class ServiceHarness implements AutoCloseable {

    public final Path work;
    public final Postgres postgres;
    public final KafkaBroker kafka;
    public final JwtIssuer jwt;
    public final QuotaStub quota;
    private final List<PackagedService> processes = new ArrayList<>();

    public ServiceHarness() throws IOException {
        work = Files.createTempDirectory("clipflow-upload-harness");
        postgres = Postgres.start(work.resolve("pg"), Ports.free());
        kafka = KafkaBroker.start(work.resolve("kafka"), Ports.free(), Ports.free(), work.resolve("kafka.log"));
        jwt = JwtIssuer.start();
        quota = QuotaStub.start();
    }

    public Path blobs() {
        return work.resolve("blobs");
    }

    /** Starts one replica (all replicas share the database, the broker and the blob folder). */
    public PackagedService start(List<String> jvmArgs) throws Exception {
        return start(launcher().jvmOptions(jvmArgs));
    }

    /** A replica's launcher with the servers' configuration, for more options before {@link #start(PackagedService.Launcher)}. */
    public PackagedService.Launcher launcher() {
        return PackagedService.launcher("upload-service", work.resolve("service-" + (processes.size() + 1) + ".log"))
                .jar(Path.of(System.getProperty("clipflow.upload.jar", PackagedService.JAR.toString())))
                .servers(postgres, kafka, jwt)
                .property("quarkus.oidc-client.token-path", jwt.tokenUrl())
                .property("quarkus.oidc-client.credentials.secret", "test-secret")
                .property("quarkus.rest-client.quota.url", quota.url())
                .property("clipflow.storage.local-root", blobs())
                .property("clipflow.upload.max-file-size", 8L << 30)
                .property("clipflow.upload.min-chunk-size", 16);
    }

    public PackagedService start(PackagedService.Launcher launcher) throws Exception {
        PackagedService service = launcher.start();
        processes.add(service);
        return service;
    }

    @Override
    public void close() throws Exception {
        for (PackagedService process : processes) {
            process.process().destroy();
        }
        for (PackagedService process : processes) {
            process.close();
        }
        quota.close();
        jwt.close();
        kafka.close();
        postgres.close();
        Folders.deleteTree(work);
    }
}
