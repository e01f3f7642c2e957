package dev.clipflow.auth;

import dev.clipflow.auth.support.Accounts;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

import static dev.clipflow.auth.support.Accounts.PASSWORD;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

/**
 * What an attacker tries against the throttles (limits of the test profile: 5 failures per account and
 * address, 12 per account, 8 per address, 10 registrations and 5 reset requests per address or account,
 * 5 failed service-token requests per client and address).
 */
@QuarkusTest
class ThrottleTest {

    /** Check and count sat on either side of the bcrypt: parallel guesses all passed the check. */
    @Test
    void parallelGuessesCannotAllBeTried() throws Exception {
        String email = Accounts.newEmail();
        Accounts.registerActive(email);
        String address = randomAddress();
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                String guess = "Wrong-Password-" + i;
                answers.add(pool.submit(() -> from(address).contentType("application/json")
                        .body(Map.of("email", email, "password", guess)).post("/api/auth/login").statusCode()));
            }
            List<Integer> codes = new ArrayList<>();
            for (Future<Integer> answer : answers) {
                codes.add(answer.get());
            }
            assertThat(codes).filteredOn(code -> code == 401).hasSize(5);
            assertThat(codes).filteredOn(code -> code == 429).hasSize(19);
        } finally {
            pool.shutdownNow();
        }
    }

    /** The leftmost X-Forwarded-For is what the client wrote; the gateway appends the address it saw. */
    @Test
    void aForgedForwardedForDoesNotEscapeTheAddressLimit() {
        String address = "203.0.113." + ThreadLocalRandom.current().nextInt(1, 255);
        for (int i = 0; i < 8; i++) {
            given().header("X-Forwarded-For", randomAddress() + ", " + address).contentType("application/json")
                    .body(Map.of("email", Accounts.newEmail(), "password", "Wrong-Password-1"))
                    .post("/api/auth/login").then().statusCode(401);
        }
        given().header("X-Forwarded-For", randomAddress() + ", " + address).contentType("application/json")
                .body(Map.of("email", Accounts.newEmail(), "password", "Wrong-Password-1"))
                .post("/api/auth/login").then().statusCode(429).header("Retry-After", notNullValue());
    }

    /** Five wrong passwords from anywhere locked the owner out, also with the right password. */
    @Test
    void guessesFromOneAddressDoNotLockTheOwnerOutElsewhere() {
        String email = Accounts.newEmail();
        Accounts.registerActive(email);
        String attacker = randomAddress();
        for (int i = 0; i < 5; i++) {
            login(attacker, email, "Wrong-Password-" + i).then().statusCode(401);
        }
        // not bypassable: the right password does not get through from the guessing address
        login(attacker, email, PASSWORD).then().statusCode(429).body("code", equalTo("auth.too_many_attempts"));
        login(randomAddress(), email, PASSWORD).then().statusCode(200);
    }

    /** Guesses spread over many addresses meet the account's own, higher limit. */
    @Test
    void guessesFromManyAddressesMeetTheAccountLimit() {
        String email = Accounts.newEmail();
        Accounts.registerActive(email);
        for (int i = 0; i < 12; i++) {
            login(randomAddress(), email, "Wrong-Password-" + i).then().statusCode(401);
        }
        login(randomAddress(), email, "Wrong-Password-x").then().statusCode(429);
    }

    @Test
    void registrationsAreLimitedPerAddress() {
        String address = randomAddress();
        for (int i = 0; i < 10; i++) {
            register(address, Accounts.newEmail()).then().statusCode(201);
        }
        register(address, Accounts.newEmail()).then().statusCode(429).contentType("application/problem+json")
                .header("Retry-After", notNullValue());
        register(randomAddress(), Accounts.newEmail()).then().statusCode(201);
    }

    @Test
    void passwordResetRequestsAreLimitedPerAddressAndPerAccount() {
        String address = randomAddress();
        for (int i = 0; i < 5; i++) {
            reset(address, Accounts.newEmail()).then().statusCode(202);
        }
        reset(address, Accounts.newEmail()).then().statusCode(429).contentType("application/problem+json");

        String victim = Accounts.newEmail();
        for (int i = 0; i < 5; i++) {
            reset(randomAddress(), victim).then().statusCode(202);
        }
        reset(randomAddress(), victim).then().statusCode(429);
    }

    @Test
    void serviceTokenGuessesAreLimited() {
        String address = randomAddress();
        for (int i = 0; i < 5; i++) {
            serviceToken(address, "catalog-secret-wrong-" + i).then().statusCode(401);
        }
        serviceToken(address, "catalog-secret-test").then().statusCode(429);
        serviceToken(randomAddress(), "catalog-secret-test").then().statusCode(200);
    }

    private static io.restassured.response.Response login(String address, String email, String password) {
        return from(address).contentType("application/json").body(Map.of("email", email, "password", password))
                .post("/api/auth/login");
    }

    private static io.restassured.response.Response register(String address, String email) {
        return from(address).contentType("application/json").body(Map.of("email", email, "password", PASSWORD))
                .post("/api/auth/register");
    }

    private static io.restassured.response.Response reset(String address, String email) {
        return from(address).contentType("application/json").body(Map.of("email", email))
                .post("/api/auth/password-reset");
    }

    private static io.restassured.response.Response serviceToken(String address, String secret) {
        return from(address).contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "client_credentials").formParam("client_id", "catalog-service")
                .formParam("client_secret", secret).post("/internal/auth/token");
    }

    private static RequestSpecification from(String address) {
        return given().header("X-Forwarded-For", address);
    }

    private static String randomAddress() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return "198.18." + r.nextInt(256) + "." + r.nextInt(1, 255);
    }
}
