package dev.clipflow.auth.bootstrap;

import dev.clipflow.auth.config.AuthConfig;
import dev.clipflow.auth.token.OpaqueTokens;
import dev.clipflow.auth.user.User;
import dev.clipflow.auth.user.UserRepository;
import dev.clipflow.auth.user.service.Emails;
import dev.clipflow.auth.user.service.Passwords;
import dev.clipflow.auth.user.service.UserFactory;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;

import java.util.UUID;

/**
 * Creates the first admin from {@code CLIPFLOW_ADMIN_EMAIL} / {@code CLIPFLOW_ADMIN_PASSWORD} at start, once per
 * address: the address is recorded ({@code admin_bootstrap}) with the account made for it, and later starts
 * leave it alone. So an admin whom another admin demoted or disabled stays so, a deleted one is not created
 * again, and an account someone registered under the address before the first start is never promoted (that
 * is logged as an error: choose another address). An install whose admin predates the record has it recorded
 * at the next start, untouched.
 */
@ApplicationScoped
public class AdminBootstrap {

    private static final long LOCK = 0x61646d696eL; // "admin": one bootstrap at a time over all replicas

    private final AuthConfig.Admin config;
    private final UserRepository users;
    private final UserFactory factory;
    private final Passwords passwords;
    private final EntityManager em;

    public AdminBootstrap(AuthConfig config, UserRepository users, UserFactory factory, Passwords passwords,
            EntityManager em) {
        this.config = config.admin();
        this.users = users;
        this.factory = factory;
        this.passwords = passwords;
        this.em = em;
    }

    void onStart(@Observes StartupEvent event) {
        ensureAdmin();
    }

    /** The bootstrap of the configured address, if one is configured. */
    public void ensureAdmin() {
        String email = config.email().map(Emails::normalize).filter(e -> !e.isBlank()).orElse(null);
        if (email == null) {
            Log.info("No bootstrap admin configured (CLIPFLOW_ADMIN_EMAIL)");
            return;
        }
        bootstrap(email, config.password().filter(p -> !p.isBlank()).orElse(null));
    }

    /** The bootstrap for one address and password (null: generated). */
    public void bootstrap(String email, String password) {
        QuarkusTransaction.requiringNew().run(() -> create(email, password));
    }

    private void create(String email, String configuredPassword) {
        em.createNativeQuery("select pg_advisory_xact_lock(?1)").setParameter(1, LOCK).getSingleResult();
        if (((Number) em.createNativeQuery("select count(*) from admin_bootstrap where email = ?1")
                .setParameter(1, email).getSingleResult()).longValue() > 0) {
            Log.debugf("Bootstrap admin %s was created before; left as it is", email);
            return;
        }
        User existing = users.findByEmail(email).orElse(null);
        if (existing != null) {
            if (existing.admin) {
                record(email, existing.id);
                Log.infof("Bootstrap admin %s exists; recorded, left as it is", email);
            } else {
                Log.errorf("The bootstrap admin address %s belongs to an account the bootstrap did not create; it is "
                        + "not made admin. Set CLIPFLOW_ADMIN_EMAIL to an address without an account.", email);
            }
            return;
        }
        String password = configuredPassword;
        boolean generated = password == null;
        if (generated) {
            password = OpaqueTokens.random().substring(0, 20);
        }
        User admin = factory.createUnchecked(email, passwords.hash(password), "Administrator", true, true);
        record(email, admin.id);
        if (generated) {
            Log.warnf("Created bootstrap admin %s with the generated password %s (set CLIPFLOW_ADMIN_PASSWORD to choose one)",
                    email, password);
        } else {
            Log.infof("Created bootstrap admin %s", email);
        }
    }

    private void record(String email, UUID userId) {
        em.createNativeQuery("insert into admin_bootstrap (email, user_id) values (?1, ?2)")
                .setParameter(1, email).setParameter(2, userId).executeUpdate();
    }
}
