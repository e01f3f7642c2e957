package dev.clipflow.auth;

import dev.clipflow.auth.bootstrap.AdminBootstrap;
import dev.clipflow.auth.support.Accounts;
import dev.clipflow.auth.user.User;
import dev.clipflow.auth.user.UserRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;

@QuarkusTest
class BootstrapTest {

    @Inject
    AdminBootstrap bootstrap;

    @Inject
    UserRepository users;

    @Test
    void theConfiguredAdminExistsAndBootstrapIsIdempotent() {
        bootstrap.ensureAdmin();
        bootstrap.ensureAdmin();
        assertThat(QuarkusTransaction.requiringNew().call(() -> users.count("email", Accounts.ADMIN_EMAIL))).isEqualTo(1);
        given().auth().oauth2(Accounts.adminToken()).get("/api/auth/me").then().statusCode(200)
                .body("roles", containsInAnyOrder("user", "admin"));
    }

    /** A bootstrap at every start re-promoted an admin whom another admin had demoted or disabled. */
    @Test
    void aDemotedOrDisabledBootstrapAdminStaysSo() {
        String demoted = Accounts.newEmail();
        bootstrap.bootstrap(demoted, Accounts.ADMIN_PASSWORD);
        assertThat(stored(demoted).admin).isTrue();
        QuarkusTransaction.requiringNew().run(() -> users.findByEmail(demoted).orElseThrow().admin = false);
        bootstrap.bootstrap(demoted, Accounts.ADMIN_PASSWORD);
        assertThat(stored(demoted).admin).isFalse();

        String disabled = Accounts.newEmail();
        bootstrap.bootstrap(disabled, Accounts.ADMIN_PASSWORD);
        QuarkusTransaction.requiringNew().run(() -> users.findByEmail(disabled).orElseThrow().enabled = false);
        bootstrap.bootstrap(disabled, Accounts.ADMIN_PASSWORD);
        assertThat(stored(disabled).enabled).isFalse();
        Accounts.login(disabled, Accounts.ADMIN_PASSWORD).then().statusCode(401);
    }

    /** Whoever registered the configured address before the first start became admin at the next start. */
    @Test
    void whoeverRegisteredTheAddressFirstIsNotPromoted() {
        String email = Accounts.newEmail();
        Accounts.registerActive(email);
        bootstrap.bootstrap(email, Accounts.ADMIN_PASSWORD);
        assertThat(stored(email).admin).isFalse();
        Accounts.login(email, Accounts.ADMIN_PASSWORD).then().statusCode(401);
        Accounts.login(email, Accounts.PASSWORD).then().statusCode(200);
    }

    /** Only once: an admin deleted after the bootstrap is not created again at the next start. */
    @Test
    void aDeletedBootstrapAdminIsNotCreatedAgain() {
        String email = Accounts.newEmail();
        bootstrap.bootstrap(email, Accounts.ADMIN_PASSWORD);
        QuarkusTransaction.requiringNew().run(() -> users.delete("email", email));
        bootstrap.bootstrap(email, Accounts.ADMIN_PASSWORD);
        assertThat(QuarkusTransaction.requiringNew().call(() -> users.count("email", email))).isZero();
    }

    private User stored(String email) {
        return QuarkusTransaction.requiringNew().call(() -> users.findByEmail(email).orElseThrow());
    }
}
