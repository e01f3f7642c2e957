package dev.clipflow.testinfra;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.clipflow.testinfra.servers.KafkaBroker;
import dev.clipflow.testinfra.servers.Mongo;
import dev.clipflow.testinfra.servers.Ports;
import dev.clipflow.testinfra.servers.Postgres;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The servers the whole test suite relies on start, answer real clients and keep their data. */
class ServersTest {

    @Test
    void postgresKeepsDataAcrossRestarts(@TempDir Path dir) throws Exception {
        int port = Ports.free();
        try (Postgres pg = Postgres.start(dir.resolve("pg"), port)) {
            pg.ensureDatabase("clipflow_test");
            pg.ensureDatabase("clipflow_test");
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl("clipflow_test"), "postgres", "")) {
                c.createStatement().execute("create table t (v text); insert into t values ('kept')");
            }
        }
        try (Postgres pg = Postgres.start(dir.resolve("pg"), port);
                Connection c = DriverManager.getConnection(pg.jdbcUrl("clipflow_test"), "postgres", "");
                ResultSet rs = c.createStatement().executeQuery("select v from t")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("kept");
        }
    }

    @Test
    void mongoPersistsToH2(@TempDir Path dir) {
        Path file = dir.resolve("mongo.mv");
        try (Mongo mongo = Mongo.persistent(file, 0); MongoClient client = MongoClients.create(mongo.connectionString())) {
            client.getDatabase("q").getCollection("c").insertOne(new Document("_id", "a").append("n", 1));
        }
        try (Mongo mongo = Mongo.persistent(file, 0); MongoClient client = MongoClients.create(mongo.connectionString())) {
            assertThat(client.getDatabase("q").getCollection("c").find().first()).containsEntry("n", 1);
        }
    }

    @Test
    void kafkaBrokerServesAdminClients(@TempDir Path dir) throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(dir, Ports.free(), Ports.free(), dir.resolve("log.txt"));
                Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic("probe", 1, (short) 1))).all().get();
            // the controller has the topic once createTopics completes; the broker's metadata cache, which
            // answers listTopics, follows a moment later (seen empty under load): wait for it, briefly
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!admin.listTopics().names().get().contains("probe") && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(admin.listTopics().names().get()).contains("probe");
        }
    }
}
