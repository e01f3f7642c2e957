package dev.clipflow.problem;

import java.sql.SQLException;
import java.util.Set;

/**
 * Whether a failure is the service's own store being out of reach (PostgreSQL down, restarting or failing over,
 * its connections cut or all taken; MongoDB's servers not answering) rather than a fault of the request or a bug.
 * What the request would have saved was not saved (its transaction did not commit) and it can be sent again as it
 * is, so {@link ProblemMappers} answers 503 {@code service.unavailable} with {@code Retry-After} instead of a 500.
 */
final class StoreOutage {

    /**
     * SQLSTATEs of an unreachable or unavailable PostgreSQL: class 08 (connection exception: refused, broken, closed),
     * 57P01-57P03 (administrator or crash shutdown, cannot connect now: starting or stopping) and 53300 (too many
     * connections).
     */
    private static final Set<String> UNAVAILABLE_STATES = Set.of("57P01", "57P02", "57P03", "53300");

    /** MongoDB driver failures that mean no server could be reached (by name: not every service has the driver). */
    private static final Set<String> MONGO_UNREACHABLE = Set.of("com.mongodb.MongoTimeoutException",
            "com.mongodb.MongoSocketException");

    private StoreOutage() {
    }

    /** Whether {@code failure} or one of its causes says the store is out of reach. */
    static boolean causes(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 16; t = t.getCause(), depth++) {
            if (t instanceof SQLException sql && unavailable(sql)) {
                return true;
            }
            for (Class<?> type = t.getClass(); type != null; type = type.getSuperclass()) {
                if (MONGO_UNREACHABLE.contains(type.getName())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean unavailable(SQLException e) {
        String state = e.getSQLState();
        return e instanceof java.sql.SQLTransientConnectionException
                || e instanceof java.sql.SQLNonTransientConnectionException
                || state != null && (state.startsWith("08") || UNAVAILABLE_STATES.contains(state));
    }
}
