package dev.clipflow.auth.login;

import dev.clipflow.contracts.problem.Problem;
import dev.clipflow.contracts.problem.ProblemException;

/** 429 {@code auth.too_many_attempts}; answered with {@code Retry-After}. */
public class TooManyAttempts extends ProblemException {

    private final long retryAfterSeconds;

    public TooManyAttempts(long retryAfterSeconds) {
        this("Too many failed sign-ins.", retryAfterSeconds);
    }

    /** @param what the sentence saying what there were too many of */
    public TooManyAttempts(String what, long retryAfterSeconds) {
        super(Problem.of(429, "auth.too_many_attempts", "Too Many Requests",
                what + " Try again in " + retryAfterSeconds + " seconds.")
                .with("retryAfterSeconds", retryAfterSeconds));
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
