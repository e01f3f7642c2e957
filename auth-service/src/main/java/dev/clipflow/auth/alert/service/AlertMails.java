package dev.clipflow.auth.alert.service;

import dev.clipflow.auth.mail.AccountMail;
import dev.clipflow.auth.user.User;
import dev.clipflow.auth.user.UserRepository;
import dev.clipflow.contracts.events.QuotaAlert;
import dev.clipflow.contracts.events.WebhookDisabled;
import dev.clipflow.outbox.Inbox;
import io.quarkus.logging.Log;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;

/**
 * E-mails the events a user should hear about: quota alerts (unless the user turned them off) and
 * webhook endpoints disabled after failing for too long. Each event id is recorded in the inbox in the
 * same transaction that reads the recipient, and the mail goes out after commit: a redelivered or replayed
 * event sends nothing twice (at most once: a crash between commit and send loses that mail, never
 * duplicates it).
 */
@ApplicationScoped
public class AlertMails {

    private final Inbox inbox;
    private final UserRepository users;
    private final AccountMail mail;

    public AlertMails(Inbox inbox, UserRepository users, AccountMail mail) {
        this.inbox = inbox;
        this.users = users;
        this.mail = mail;
    }

    /** One {@code quota.alerts} event: one mail, unless seen before or the user opted out. */
    public void quotaAlert(String topic, String eventId, QuotaAlert alert) {
        Recipient to = recipientOnce(topic, eventId, alert.userId(), true);
        if (to != null) {
            mail.quotaAlert(to.email(), to.displayName(), alert.resource(), alert.threshold(), alert.usedBytes(),
                    alert.limitBytes());
        }
    }

    /** One {@code webhook.disabled} event: one mail, unless seen before. */
    public void webhookDisabled(String topic, String eventId, WebhookDisabled disabled) {
        Recipient to = recipientOnce(topic, eventId, disabled.userId(), false);
        if (to != null) {
            mail.webhookDisabled(to.email(), to.displayName(), disabled.url(), disabled.reason());
        }
    }

    private record Recipient(String email, String displayName) {
    }

    private Recipient recipientOnce(String topic, String eventId, UUID userId, boolean quotaAlert) {
        Recipient[] found = new Recipient[1];
        boolean first = inbox.applyOnce(topic, eventId, () -> {
            User user = users.findById(userId);
            if (user == null || !user.enabled) {
                Log.debugf("%s %s: user %s unknown or disabled, no mail", topic, eventId, userId);
            } else if (quotaAlert && !user.quotaAlertMail) {
                Log.debugf("%s %s: user %s turned alert mail off", topic, eventId, userId);
            } else {
                found[0] = new Recipient(user.email, user.displayName == null ? user.email : user.displayName);
            }
        });
        return first ? found[0] : null;
    }
}
