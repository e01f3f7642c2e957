package dev.clipflow.charttest;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import dev.clipflow.testinfra.servers.KafkaBroker;
import dev.clipflow.testinfra.servers.Ports;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import jakarta.mail.internet.MimeMessage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The chart's external datastores, real servers on the pod network's host address (the chart never
 * runs datastores; its values name their hosts): PostgreSQL 17 (zonky) with password authentication
 * (md5) for pod addresses, a Kafka 4.3.1 KRaft node in its own JVM, mongo-java-server and GreenMail with
 * SMTP AUTH. test-infra's launchers bind 127.0.0.1, which a pod's own loopback cannot reach, hence
 * the bind address here.
 */
final class Infra implements AutoCloseable {

    final String address;
    final int postgresPort;
    final int kafkaPort;
    final int mongoPort;
    final int smtpPort;
    private final EmbeddedPostgres postgres;
    private final Process kafka;
    private final MongoServer mongo;
    private final GreenMail mail;

    private Infra(String address, EmbeddedPostgres postgres, int kafkaPort, Process kafka, MongoServer mongo,
            GreenMail mail, int smtpPort) {
        this.address = address;
        this.postgres = postgres;
        this.postgresPort = postgres.getPort();
        this.kafkaPort = kafkaPort;
        this.kafka = kafka;
        this.mongo = mongo;
        this.mongoPort = mongo.getLocalAddress().getPort();
        this.mail = mail;
        this.smtpPort = smtpPort;
    }

    static Infra start(String address, Path work, TestSecrets secrets) {
        try {
            Files.createDirectories(work);
            EmbeddedPostgres postgres = startPostgres(address, work.resolve("postgres"), secrets);
            // the address is this stack's own: the usual ports are free on it
            int kafkaPort = 9092;
            Process kafka = startKafka(address, work.resolve("kafka"), kafkaPort);
            MongoServer mongo = new MongoServer(new MemoryBackend());
            mongo.enableOplog();
            mongo.bind(new InetSocketAddress(address, 27017));
            int smtpPort = 587;
            GreenMail mail = new GreenMail(new ServerSetup(smtpPort, address, ServerSetup.PROTOCOL_SMTP))
                    .withConfiguration(GreenMailConfiguration.aConfig()
                            .withUser(secrets.value("clipflow-smtp", "username"), secrets.value("clipflow-smtp", "password")));
            mail.start();
            Infra infra = new Infra(address, postgres, kafkaPort, kafka, mongo, mail, smtpPort);
            Runtime.getRuntime().addShutdownHook(new Thread(infra::close));
            return infra;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** PostgreSQL listening on the pod network too; pods must log in with the password of the DB Secret. */
    private static EmbeddedPostgres startPostgres(String address, Path dir, TestSecrets secrets) throws IOException {
        Files.createDirectories(dir);
        Path hba = dir.resolve("pg_hba.conf");
        Files.writeString(hba, String.join("\n",
                "local all all trust",
                "host all all 127.0.0.1/32 trust",
                "host all all ::1/128 trust",
                "host all all " + address.substring(0, address.lastIndexOf('.')) + ".0/24 md5",
                ""));
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dir.resolve("data"))
                .setCleanDataDirectory(true)
                .setPort(Ports.free())
                .setServerConfig("listen_addresses", "localhost," + address)
                .setServerConfig("hba_file", hba.toString())
                .setServerConfig("max_connections", "300")
                .setServerConfig("fsync", "off")
                .start();
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            String user = secrets.value("clipflow-postgresql", "username");
            if (!user.equals("postgres")) {
                statement.execute("create user \"" + user + "\" superuser");
            }
            // md5, not scram-sha-256: both check the Secret's password, but a cold JVM needs seconds for SCRAM's
            // 4096 PBKDF2 rounds, enough to run into the pool's 5 s acquisition timeout on a loaded 2-core machine
            statement.execute("set password_encryption = 'md5'");
            statement.execute("alter user \"" + user + "\" password '"
                    + secrets.value("clipflow-postgresql", "password").replace("'", "''") + "'");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return postgres;
    }

    /** A KRaft node whose client listener is on the pod network (test-infra's config, rebound). */
    private static Process startKafka(String address, Path dir, int port) throws IOException {
        int controllerPort = Ports.free();
        Path log = dir.resolve("kafka.log");
        Files.createDirectories(dir);
        Path config = KafkaBroker.prepare(dir, port, controllerPort, log);
        String properties = Files.readString(config)
                .replace("listeners=PLAINTEXT://127.0.0.1:" + port, "listeners=PLAINTEXT://" + address + ":" + port)
                .replace("advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                        "advertised.listeners=PLAINTEXT://" + address + ":" + port);
        Files.writeString(config, properties);
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms64m", "-Xmx384m", "-XX:+UseSerialGC", "-cp", KafkaBroker.brokerLibs().resolve("*").toString(),
                "kafka.Kafka", config.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!listening(address, port)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IllegalStateException("Kafka did not start; see " + log);
            }
            sleep(100);
        }
        return process;
    }

    private static boolean listening(String address, int port) {
        try (var socket = new java.net.Socket()) {
            socket.connect(new InetSocketAddress(address, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Creates the database unless it exists. */
    void ensureDatabase(String database) {
        if (!database.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("Bad database name " + database);
        }
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement();
                ResultSet exists = statement.executeQuery("select 1 from pg_database where datname = '" + database + "'")) {
            if (!exists.next()) {
                statement.execute("create database " + database);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create database " + database, e);
        }
    }

    String kafkaBootstrap() {
        return address + ":" + kafkaPort;
    }

    /** Every message GreenMail received so far. */
    List<MimeMessage> messages() {
        return new ArrayList<>(Arrays.asList(mail.getReceivedMessages()));
    }

    /** Stops every server; each step bounded (a server left in a bad state must not hang the build). */
    @Override
    public void close() {
        if (kafka.isAlive()) {
            kafka.destroy();
            try {
                if (!kafka.waitFor(20, TimeUnit.SECONDS)) {
                    kafka.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        bounded("PostgreSQL", () -> {
            try {
                postgres.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        bounded("GreenMail", mail::stop);
        bounded("mongo-java-server", mongo::shutdownNow);
    }

    private static void bounded(String what, Runnable stop) {
        Thread thread = new Thread(() -> {
            try {
                stop.run();
            } catch (RuntimeException alreadyStopped) {
                // stopped before
            }
        }, "stop " + what);
        thread.setDaemon(true);
        thread.start();
        try {
            thread.join(15_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
