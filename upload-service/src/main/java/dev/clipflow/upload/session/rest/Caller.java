package dev.clipflow.upload.session.rest;

import dev.clipflow.contracts.problem.ProblemException;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.UUID;

/** The signed-in user behind a request. */
public final class Caller {

    private Caller() {
    }

    public static UUID id(JsonWebToken jwt) {
        try {
            return UUID.fromString(jwt.getSubject());
        } catch (RuntimeException e) {
            throw ProblemException.forbidden("auth.forbidden", "Only user accounts upload videos.");
        }
    }
}
