package dev.clipflow.notify.webhook.delivery;

import dev.clipflow.notify.support.Receiver;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.URI;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A short answer (headers, a small body and its end in one read) can end before the sender's handlers are set (the response future's callback runs a
 * hop later than the connection delivers it): setting a handler on an ended response throws, and the attempt was
 * logged without its status after the whole request timeout (WebhookDeliveryTest.redirectsAreNotFollowed failed on
 * it once in a rehearsal: status null instead of 302). Many quick short answers in a row: each one's status.
 */
@QuarkusTest
class WebhookSenderTest {

    @Inject
    WebhookSender sender;

    @Test
    void everyQuickShortAnswerIsLoggedWithItsStatus() throws Exception {
        Integer[] redirects = new Integer[200];
        java.util.Arrays.fill(redirects, 302);
        try (Receiver receiver = Receiver.start().answer(redirects)) {
            URI uri = URI.create(receiver.url("/moved"));
            TargetGuard.Target target = new TargetGuard.Target(uri, InetAddress.getByName(uri.getHost()), uri.getPort());
            for (int i = 0; i < 200; i++) {
                WebhookSender.Outcome outcome = sender.send(target, Map.of(), "{}");
                assertThat(outcome.statusCode()).as("attempt %d: %s", i, outcome).isEqualTo(302);
            }
        }
    }
}
