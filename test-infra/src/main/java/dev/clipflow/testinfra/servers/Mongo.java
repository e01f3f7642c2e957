package dev.clipflow.testinfra.servers;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * A MongoDB wire-protocol server (mongo-java-server) in this JVM; the real MongoDB Java driver
 * talks to it. In memory for tests, in an H2 file for the local stack so data survives restarts.
 */
public final class Mongo implements AutoCloseable {

    private final MongoServer server;
    private final InetSocketAddress address;

    private Mongo(MongoServer server, InetSocketAddress address) {
        this.server = server;
        this.address = address;
    }

    /** An in-memory server on the given port (0: any free port). */
    public static Mongo inMemory(int port) {
        return start(new MemoryBackend(), port);
    }

    /** A server persisting to an H2 file. */
    public static Mongo persistent(Path file, int port) {
        return start(new H2Backend(file.toString()), port);
    }

    private static Mongo start(MongoBackend backend, int port) {
        MongoServer server = new MongoServer(backend);
        server.enableOplog();
        server.bind(new InetSocketAddress("127.0.0.1", port));
        return new Mongo(server, server.getLocalAddress());
    }

    public String connectionString() {
        return "mongodb://127.0.0.1:" + address.getPort();
    }

    public int port() {
        return address.getPort();
    }

    @Override
    public void close() {
        server.shutdownNow();
    }
}
