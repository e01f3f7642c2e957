package dev.clipflow.auth;

import dev.clipflow.auth.bootstrap.AdminBootstrap;
import dev.clipflow.auth.support.Accounts;
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

    @Test
    void bootstrapRestoresTheAdminWithoutTouchingThePassword() {
        bootstrap.ensureAdmin();
        String hash = QuarkusTransaction.requiringNew().call(() -> {
            var admin = users.findByEmail(Accounts.ADMIN_EMAIL).orElseThrow();
            admin.enabled = false;
            return admin.passwordHash;
        });
        Accounts.login(Accounts.ADMIN_EMAIL, Accounts.ADMIN_PASSWORD).then().statusCode(401);
        bootstrap.ensureAdmin();
        var admin = QuarkusTransaction.requiringNew().call(() -> users.findByEmail(Accounts.ADMIN_EMAIL).orElseThrow());
        assertThat(admin.enabled).isTrue();
        assertThat(admin.admin).isTrue();
        assertThat(admin.passwordHash).isEqualTo(hash);
        Accounts.login(Accounts.ADMIN_EMAIL, Accounts.ADMIN_PASSWORD).then().statusCode(200);
    }
}
