package dev.clipflow.auth.mail;

import dev.clipflow.auth.support.Accounts;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Account mail sent in bursts from many threads arrives promptly, every message once. */
@QuarkusTest
class MailDeliveryTest {

    @Inject
    AccountMail mail;

    @Test
    void aBurstOfConcurrentMailAllArrivesWithinSeconds() throws Exception {
        for (int round = 0; round < 5; round++) {
            List<String> recipients = IntStream.range(0, 30).mapToObj(i -> Accounts.newEmail()).toList();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            for (String to : recipients) {
                pool.submit(() -> mail.quotaAlert(to, "Burst", "STORAGE", 80, 40L << 20, 50L << 20));
            }
            pool.shutdown();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                for (String to : recipients) {
                    assertThat(Accounts.mails(to, "80 % of your storage")).as(to).hasSize(1);
                }
            });
        }
    }
}
