package dev.clipflow.upload.ingest;

import io.agroal.api.AgroalDataSource;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This replica's identity as a writer of chunks. At start it takes a PostgreSQL session advisory
 * lock on its instance id on a connection it keeps for its whole life: when the process dies
 * (kill -9, OOM, node lost) the database ends that session and the lock is gone, so any replica can
 * tell at once that a chunk claimed by this instance has no writer any more
 * ({@code pg_try_advisory_xact_lock} succeeds) and take it over. TCP keepalives on that connection
 * bound the time to notice a vanished node without a FIN. Within the replica, the claims of the
 * requests still receiving a body are kept in memory, so a claim of this instance whose request
 * ended without releasing it is free too.
 */
@ApplicationScoped
public class WriterLease {

    private final AgroalDataSource dataSource;
    private final UUID instance = UUID.randomUUID();
    private final Set<UUID> active = ConcurrentHashMap.newKeySet();
    private Connection held;

    public WriterLease(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    void start(@Observes StartupEvent started) {
        ensureHeld();
    }

    void stop(@Observes ShutdownEvent stopping) {
        release();
    }

    /** The advisory-lock key of an instance id. */
    public static long key(UUID instance) {
        return instance.getMostSignificantBits() ^ instance.getLeastSignificantBits() ^ 0x57a17e2L;
    }

    public UUID instance() {
        return instance;
    }

    /** A new claim for a request that starts receiving a body; {@link #end} when it is done. */
    public UUID begin() {
        UUID claim = UUID.randomUUID();
        active.add(claim);
        return claim;
    }

    public void end(UUID claim) {
        active.remove(claim);
    }

    /** Whether a claim of this instance still has its request receiving. */
    public boolean active(UUID claim) {
        return active.contains(claim);
    }

    /** Checks the held connection and takes the lock again on a new one when it was lost (or never taken). */
    @Scheduled(every = "5s", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    synchronized void ensureHeld() {
        if (held != null) {
            try {
                if (held.isValid(2)) {
                    return;
                }
            } catch (SQLException e) {
                // lost: take it again below
            }
            Log.warnf("Writer lock connection of instance %s lost; taking the lock again", instance);
            release();
        }
        hold();
    }

    private void hold() {
        Connection connection = null;
        try {
            connection = dataSource.getConnection();
            connection.setAutoCommit(true);
            try (Statement statement = connection.createStatement()) {
                statement.execute("set tcp_keepalives_idle = 10");
                statement.execute("set tcp_keepalives_interval = 5");
                statement.execute("set tcp_keepalives_count = 3");
                try (ResultSet taken = statement.executeQuery("select pg_try_advisory_lock(" + key(instance) + ")")) {
                    if (!taken.next() || !taken.getBoolean(1)) {
                        // an earlier session of this instance still holds it (it was only thought lost): next check
                        Log.warnf("Writer lock of instance %s is still held by an earlier session", instance);
                        connection.close();
                        return;
                    }
                }
            }
            held = connection;
            Log.debugf("Writer instance %s holds its lock", instance);
        } catch (SQLException e) {
            Log.errorf(e, "Writer instance %s could not take its lock; retrying", instance);
            if (connection != null) {
                try {
                    connection.close();
                } catch (SQLException ignored) {
                    // gone anyway
                }
            }
        }
    }

    private synchronized void release() {
        if (held != null) {
            try (Statement statement = held.createStatement()) {
                statement.execute("select pg_advisory_unlock_all()"); // the pooled connection lives on
            } catch (SQLException ignored) {
                // the session is gone with its lock
            }
            try {
                held.close();
            } catch (SQLException ignored) {
                // the session is gone with its lock
            }
            held = null;
        }
    }
}
