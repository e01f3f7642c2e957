package dev.clipflow.auth.bootstrap;

import dev.clipflow.auth.config.AuthConfig;
import dev.clipflow.auth.token.OpaqueTokens;
import dev.clipflow.auth.user.User;
import dev.clipflow.auth.user.UserRepository;
import dev.clipflow.auth.user.service.Emails;
import dev.clipflow.auth.user.service.Passwords;
import dev.clipflow.auth.user.service.UserFactory;
import dev.clipflow.contracts.problem.ProblemException;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Creates the first admin from {@code CLIPFLOW_ADMIN_EMAIL} / {@code CLIPFLOW_ADMIN_PASSWORD} at start.
 * Idempotent: an existing account keeps its password and is only made an active admin again.
 */
@ApplicationScoped
public class AdminBootstrap {

    private final AuthConfig.Admin config;
    private final UserRepository users;
    private final UserFactory factory;
    private final Passwords passwords;

    public AdminBootstrap(AuthConfig config, UserRepository users, UserFactory factory, Passwords passwords) {
        this.config = config.admin();
        this.users = users;
        this.factory = factory;
        this.passwords = passwords;
    }

    void onStart(@Observes StartupEvent event) {
        ensureAdmin();
    }

    /** Makes sure the configured admin exists, is an admin and can sign in. */
    public void ensureAdmin() {
        String email = config.email().map(Emails::normalize).filter(e -> !e.isBlank()).orElse(null);
        if (email == null) {
            Log.info("No bootstrap admin configured (CLIPFLOW_ADMIN_EMAIL)");
            return;
        }
        try {
            QuarkusTransaction.requiringNew().run(() -> create(email));
        } catch (ProblemException raced) {
            // another replica created it at the same moment
            QuarkusTransaction.requiringNew().run(() -> create(email));
        }
    }

    private void create(String email) {
        User existing = users.findByEmail(email).orElse(null);
        if (existing != null) {
            if (!existing.admin || !existing.activated || !existing.enabled) {
                existing.admin = true;
                existing.activated = true;
                existing.enabled = true;
                existing.updatedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
                Log.infof("Bootstrap admin %s restored to an active admin", email);
            }
            return;
        }
        String password = config.password().filter(p -> !p.isBlank()).orElse(null);
        boolean generated = password == null;
        if (generated) {
            password = OpaqueTokens.random().substring(0, 20);
        }
        factory.createUnchecked(email, passwords.hash(password), "Administrator", true, true);
        if (generated) {
            Log.warnf("Created bootstrap admin %s with the generated password %s (set CLIPFLOW_ADMIN_PASSWORD to choose one)",
                    email, password);
        } else {
            Log.infof("Created bootstrap admin %s", email);
        }
    }
}
