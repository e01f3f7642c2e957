package dev.clipflow.catalog.video.live;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * Announces a video's change to every catalog replica: a PostgreSQL {@code NOTIFY} in the transaction that
 * applied the change, so it goes out on commit only, once per applied event (the inbox makes a redelivered
 * event change nothing and announce nothing), and reaches the {@link LiveListener} of every replica, whichever
 * replica's Kafka consumer applied it.
 */
@ApplicationScoped
public class LiveUpdates {

    /** The PostgreSQL channel every replica listens on. */
    static final String CHANNEL = "clipflow_video_updates";

    private final EntityManager em;
    private final ObjectMapper json;

    public LiveUpdates(EntityManager em, ObjectMapper json) {
        this.em = em;
        this.json = json;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void publish(VideoUpdate update) {
        String payload;
        try {
            payload = json.writeValueAsString(update);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        // pg_notify rather than NOTIFY: the payload is a bind parameter, never part of the SQL text
        em.createNativeQuery("select pg_notify(?1, ?2)").setParameter(1, CHANNEL).setParameter(2, payload)
                .getSingleResult();
    }
}
