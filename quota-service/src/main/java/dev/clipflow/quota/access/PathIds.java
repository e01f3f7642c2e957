package dev.clipflow.quota.access;

import dev.clipflow.contracts.problem.ProblemException;

import java.util.UUID;

/** Path parameters that must be UUIDs: anything else is a 400, not a 404. */
public final class PathIds {

    private PathIds() {
    }

    public static UUID parse(String value, String name) {
        try {
            if (value != null && value.length() == 36) {
                return UUID.fromString(value);
            }
        } catch (IllegalArgumentException e) {
            // fall through
        }
        throw ProblemException.badRequest("request.invalid_id", name + " must be a UUID.");
    }
}
