package dev.clipflow.catalog.video;

import io.quarkus.arc.Arc;
import jakarta.persistence.PostRemove;
import jakarta.persistence.PostUpdate;

import java.util.UUID;

/**
 * Announces, inside this process, that a video row changed or was deleted through Hibernate (whichever code
 * changed it): a CDI {@link Changed} event at the flush, which observers can also take after the commit
 * ({@code @Observes(during = TransactionPhase.AFTER_COMPLETION)}), e.g. to drop what they cached of the row.
 */
public class VideoChanges {

    /** A video row was updated or deleted (the transaction may still be open). */
    public record Changed(UUID videoId) {
    }

    @PostUpdate
    @PostRemove
    void changed(Video video) {
        Arc.container().beanManager().getEvent().select(Changed.class).fire(new Changed(video.id));
    }
}
