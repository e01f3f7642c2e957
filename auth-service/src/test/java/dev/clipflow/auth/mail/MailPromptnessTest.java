package dev.clipflow.auth.mail;

import dev.clipflow.auth.support.Accounts;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.clipflow.auth.support.Accounts.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Account mail goes out within seconds, also when several users register at once. Before the fix an SMTP send
 * that stalled (Vert.x mail client, a few in a hundred under concurrency) waited for the server's 30 s socket
 * timeout: quarkus.mailer.timeout bounds only the blocking mailer, not the reactive one account mail uses.
 */
@QuarkusTest
class MailPromptnessTest {

    @Test
    void everyActivationMailOfABurstOfRegistrationsArrivesWithinSeconds() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<String> emails = new ArrayList<>();
            for (int round = 0; round < 10; round++) {
                List<Future<String>> burst = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    burst.add(pool.submit(() -> {
                        String email = Accounts.newEmail();
                        Accounts.register(email, PASSWORD).then().statusCode(201);
                        return email;
                    }));
                }
                for (Future<String> f : burst) {
                    emails.add(f.get());
                }
            }
            // generous for a loaded 2-core machine, far below the 30 s a stalled send used to take
            await().atMost(Duration.ofSeconds(12)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                    assertThat(emails).allSatisfy(email ->
                            assertThat(Accounts.mails(email, "Activate")).as("activation mail to %s", email).hasSize(1)));
        } finally {
            pool.shutdownNow();
        }
    }
}
