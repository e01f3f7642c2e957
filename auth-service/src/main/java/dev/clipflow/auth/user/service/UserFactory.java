package dev.clipflow.auth.user.service;

import dev.clipflow.auth.user.User;
import dev.clipflow.auth.user.UserRepository;
import dev.clipflow.contracts.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/** Creates accounts (registration, admin, bootstrap): unique e-mail, strong password, bcrypt hash. */
@ApplicationScoped
public class UserFactory {

    private final UserRepository users;
    private final Passwords passwords;

    public UserFactory(UserRepository users, Passwords passwords) {
        this.users = users;
        this.passwords = passwords;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public User create(String rawEmail, String password, String displayName, boolean admin, boolean activated) {
        String email = Emails.normalize(rawEmail);
        passwords.requireStrong(password, email);
        return createUnchecked(email, passwords.hash(password), displayName, admin, activated);
    }

    /** Creates with an already hashed password, skipping the strength rules (bootstrap). */
    @Transactional(Transactional.TxType.MANDATORY)
    public User createUnchecked(String email, String passwordHash, String displayName, boolean admin, boolean activated) {
        if (users.findByEmail(email).isPresent()) {
            throw taken();
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS); // as PostgreSQL stores it
        User user = new User();
        user.id = UUID.randomUUID();
        user.email = email;
        user.displayName = displayName == null || displayName.isBlank() ? Emails.localPart(email) : displayName.trim();
        user.passwordHash = passwordHash;
        user.admin = admin;
        user.activated = activated;
        user.enabled = true;
        user.createdAt = now;
        user.updatedAt = now;
        user.passwordChangedAt = now;
        try {
            users.persistAndFlush(user);
        } catch (PersistenceException e) {
            // a concurrent registration of the same address won the unique index
            throw taken();
        }
        return user;
    }

    private static ProblemException taken() {
        return ProblemException.conflict("auth.email_taken", "An account with this e-mail address exists.");
    }
}
