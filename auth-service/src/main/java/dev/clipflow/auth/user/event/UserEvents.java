package dev.clipflow.auth.user.event;

import dev.clipflow.contracts.events.Topics;
import dev.clipflow.contracts.events.UserDeleted;
import dev.clipflow.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.UUID;

/** Publishes user events through the transactional outbox (key and subject: the user id). */
@ApplicationScoped
public class UserEvents {


    private final Outbox outbox;

    public UserEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    /** {@code user.deleted}, committed with the deletion it announces. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void deleted(UUID userId, String email, UUID deletedBy) {
        outbox.publish(Topics.USER_DELETED, userId, new UserDeleted(userId, email, deletedBy));
    }
}
