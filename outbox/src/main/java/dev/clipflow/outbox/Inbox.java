package dev.clipflow.outbox;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * Makes a consumer idempotent: call {@link #firstDelivery} in the transaction that applies an
 * event; it records the event id and answers false when the id was applied before, so a
 * redelivered event changes nothing.
 */
@ApplicationScoped
public class Inbox {

    private final EntityManager em;

    public Inbox(EntityManager em) {
        this.em = em;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public boolean firstDelivery(String topic, String eventId) {
        int inserted = em.createNativeQuery(
                "insert into inbox_event (event_id, topic) values (?1, ?2) on conflict (event_id) do nothing")
                .setParameter(1, eventId)
                .setParameter(2, topic)
                .executeUpdate();
        return inserted == 1;
    }
}
