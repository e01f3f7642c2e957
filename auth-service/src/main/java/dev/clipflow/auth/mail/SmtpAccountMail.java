package dev.clipflow.auth.mail;

import dev.clipflow.auth.config.AuthConfig;
import io.quarkus.logging.Log;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URLEncoder;
import java.time.Duration;
import java.nio.charset.StandardCharsets;

/**
 * Sends account e-mail through Quarkus Mailer (SMTP) in the background, so the response time of a request
 * does not reveal whether an e-mail was sent. Links point to the configured front-end base URL.
 */
@ApplicationScoped
public class SmtpAccountMail implements AccountMail {

    private final ReactiveMailer mailer;
    private final AuthConfig.Mail config;

    public SmtpAccountMail(ReactiveMailer mailer, AuthConfig config) {
        this.mailer = mailer;
        this.config = config.mail();
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

    private String link(String path, String token) {
        String base = config.frontendUrl().replaceAll("/+$", "");
        return base + (path.startsWith("/") ? path : "/" + path) + "?token="
                + URLEncoder.encode(token, StandardCharsets.UTF_8);
    }

    private void send(Mail mail) {
        String to = String.join(",", mail.getTo());
        mailer.send(mail)
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
