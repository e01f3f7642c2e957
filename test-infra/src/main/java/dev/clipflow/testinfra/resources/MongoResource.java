package dev.clipflow.testinfra.resources;

import dev.clipflow.testinfra.servers.Mongo;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/** An in-memory MongoDB-wire server for a test run; configures the Quarkus MongoDB client. */
public class MongoResource implements QuarkusTestResourceLifecycleManager {

    private Mongo mongo;

    @Override
    public Map<String, String> start() {
        mongo = Mongo.inMemory(0);
        return Map.of("quarkus.mongodb.connection-string", mongo.connectionString());
    }

    @Override
    public void stop() {
        if (mongo != null) {
            mongo.close();
        }
    }
}
