package dev.clipflow.auth.user.service;

import dev.clipflow.auth.user.User;
import dev.clipflow.auth.user.UserRepository;
import dev.clipflow.contracts.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/** The settings a user changes for their own account. */
@ApplicationScoped
public class AccountSettings {

    /**
     * The settings of an account.
     *
     * @param quotaAlertMail quota alerts (80 % and 100 % of storage or bandwidth) are e-mailed
     */
    public record Settings(boolean quotaAlertMail) {
    }

    private final UserRepository users;

    public AccountSettings(UserRepository users) {
        this.users = users;
    }

    @Transactional
    public Settings of(UUID userId) {
        User user = find(userId);
        return new Settings(user.quotaAlertMail);
    }

    /** Changes the settings given (null: unchanged) and returns them all. */
    @Transactional
    public Settings update(UUID userId, Boolean quotaAlertMail) {
        User user = find(userId);
        if (quotaAlertMail != null && quotaAlertMail != user.quotaAlertMail) {
            user.quotaAlertMail = quotaAlertMail;
            user.updatedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        }
        return new Settings(user.quotaAlertMail);
    }

    private User find(UUID userId) {
        return users.findByIdOptional(userId)
                .orElseThrow(() -> new ProblemException(404, "user.not_found", "Not Found", "The user does not exist."));
    }
}
