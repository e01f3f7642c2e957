package dev.clipflow.auth.mail;

import dev.clipflow.auth.config.AuthConfig;
import io.quarkus.logging.Log;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URLEncoder;
import java.time.Duration;
import java.nio.charset.StandardCharsets;

/**
 * Sends account e-mail through Quarkus Mailer (SMTP) in the background, so the response time of a request
 * does not reveal whether an e-mail was sent. Links point to the configured front-end base URL.
 * <p>
 * Every send starts on one event-loop context. The Vert.x mail client (4.5) drops a request when it asks its
 * connection pool for a connection while another thread disposes of the emptied pool: {@code Endpoint.getConnection}
 * returns {@code false} and {@code SMTPConnectionPool} ignores it, so the send never completes. With
 * {@code keep-alive=false} the pool empties after every message, and two requests or consumers sending at once lost
 * mail that way. On one thread, asking for a connection and disposing of the pool cannot interleave. Each attempt is
 * also bounded by {@code clipflow.auth.mail.send-timeout} and retried, so a stall elsewhere delays a message
 * instead of losing it.
 */
@ApplicationScoped
public class SmtpAccountMail implements AccountMail {

    private final ReactiveMailer mailer;
    private final AuthConfig.Mail config;
    private final Context mailContext;

    public SmtpAccountMail(ReactiveMailer mailer, AuthConfig config, Vertx vertx) {
        this.mailer = mailer;
        this.config = config.mail();
        this.mailContext = vertx.getOrCreateContext();
    }

    @Override
    public void activation(String to, String displayName, String token) {
        String link = link(config.activationPath(), token);
        send(Mail.withText(to, "Activate your Clipflow account", """
                Hello %s,

                please confirm your e-mail address to activate your Clipflow account:

                %s

                The link works once and expires in %s. If you did not sign up, ignore this e-mail.

                Activation token: %s
                """.formatted(displayName, link, human(config.activationLifetime()), token)));
    }

    @Override
    public void passwordReset(String to, String displayName, String token) {
        String link = link(config.passwordResetPath(), token);
        send(Mail.withText(to, "Reset your Clipflow password", """
                Hello %s,

                someone asked to reset the password of your Clipflow account. To choose a new one, open:

                %s

                The link works once and expires in %s. If it was not you, ignore this e-mail; your password
                stays as it is.

                Reset token: %s
                """.formatted(displayName, link, human(config.passwordResetLifetime()), token)));
    }

    @Override
    public void quotaAlert(String to, String displayName, String resource, int threshold, long usedBytes,
            long limitBytes) {
        boolean storage = "STORAGE".equals(resource);
        String what = storage ? "storage" : "bandwidth";
        String consequence = threshold >= 100
                ? (storage ? "New uploads are refused until you delete videos or your limit is raised."
                        : "Streaming and downloads of your videos are refused until the next period starts or your"
                                + " limit is raised.")
                : (storage ? "Uploads are refused once the limit is reached."
                        : "Streaming and downloads of your videos are refused once the limit is reached this period.");
        String settings = config.frontendUrl().replaceAll("/+$", "");
        send(Mail.withText(to, "Clipflow: you have used %d %% of your %s".formatted(threshold, what), """
                Hello %s,

                your Clipflow account has used %s of its %s %s limit (%d %%).

                %s

                See your usage at %s. You can turn these e-mails off in your account settings
                (PUT /api/auth/me/settings {"quotaAlertMail": false}).
                """.formatted(displayName, bytes(usedBytes), bytes(limitBytes), what, threshold, consequence,
                settings)));
    }

    @Override
    public void webhookDisabled(String to, String displayName, String url, String reason) {
        send(Mail.withText(to, "Clipflow: your webhook endpoint was disabled", """
                Hello %s,

                Clipflow could not deliver events to your webhook endpoint

                %s

                for too long and disabled it: %s

                Events are not sent to it while it is disabled. Once the endpoint works again, enable it
                (PUT /api/webhooks/{id} with "enabled": true) and redeliver what it missed from its delivery log.
                """.formatted(displayName, url, reason)));
    }

    private static String bytes(long bytes) {
        String[] units = {"bytes", "KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? bytes + " bytes" : "%.1f %s".formatted(value, units[unit]);
    }

    private String link(String path, String token) {
        String base = config.frontendUrl().replaceAll("/+$", "");
        return base + (path.startsWith("/") ? path : "/" + path) + "?token="
                + URLEncoder.encode(token, StandardCharsets.UTF_8);
    }

    private void send(Mail mail) {
        String to = String.join(",", mail.getTo());
        mailer.send(mail)
                .runSubscriptionOn(task -> mailContext.runOnContext(v -> task.run()))
                .ifNoItem().after(config.sendTimeout()).failWith(() -> new IllegalStateException(
                        "no answer from the SMTP server within " + config.sendTimeout().toSeconds() + " s"))
                .onFailure().invoke(e -> Log.debugf("Sending '%s' to %s failed, retrying: %s", mail.getSubject(), to,
                        e.getMessage()))
                .onFailure().retry().withBackOff(Duration.ofMillis(500), Duration.ofSeconds(5)).atMost(3)
                .subscribe().with(
                ok -> Log.debugf("Sent '%s' to %s", mail.getSubject(), to),
                failure -> Log.errorf("Could not send '%s' to %s: %s", mail.getSubject(), to, failure.getMessage()));
    }

    private static String human(Duration d) {
        return d.toHours() >= 1 && d.toMinutesPart() == 0 ? d.toHours() + " hours" : d.toMinutes() + " minutes";
    }
}
