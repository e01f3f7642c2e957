package dev.clipflow.upload.account.event;

import dev.clipflow.contracts.events.UserDeleted;
import dev.clipflow.contracts.events.VideoDeleted;
import dev.clipflow.contracts.problem.ProblemException;
import dev.clipflow.messaging.Channels;
import dev.clipflow.messaging.EventIntake;
import dev.clipflow.outbox.Inbox;
import dev.clipflow.upload.session.entity.UploadSession;
import dev.clipflow.upload.session.entity.UploadSessionRepository;
import dev.clipflow.upload.session.service.SessionService;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.List;
import java.util.UUID;

/**
 * {@code video.deleted} frees the video's file name (and aborts an upload still running for that id: a replacement
 * whose video was deleted); {@code user.deleted} remembers the user as deleted
 * (a completion running meanwhile aborts at its end, and the user cannot open uploads), aborts their
 * unfinished uploads (parts deleted, reservations released) and frees all of their names. Both go
 * through the platform's one consumer path ({@link EventIntake}): invalid events to
 * {@code <topic>.dlq}, a database, blob store or quota-service outage retried until it is over.
 * Idempotent through the inbox (and aborting an ended upload changes nothing).
 */
@ApplicationScoped
public class AccountEvents {

    private final UploadSessionRepository sessions;
    private final SessionService sessionService;
    private final Inbox inbox;
    private final EventIntake intake;

    public AccountEvents(UploadSessionRepository sessions, SessionService sessionService, Inbox inbox,
            EventIntake intake) {
        this.sessions = sessions;
        this.sessionService = sessionService;
        this.inbox = inbox;
        this.intake = intake;
    }

    @Incoming(Channels.VIDEO_DELETED)
    @Blocking
    public void videoDeleted(ConsumerRecord<String, byte[]> record) {
        intake.consume(record, VideoDeleted.class, event -> {
            // a replacement upload still running for a deleted video (or its cancelled media id) is aborted: parts
            // deleted, reservation released; aborting an ended upload changes nothing, so a redelivery is harmless
            List<UploadSession> open = QuarkusTransaction.requiringNew().call(() -> {
                List<UploadSession> list = sessions.openOfVideo(event.data().videoId());
                list.forEach(s -> sessions.getEntityManager().detach(s));
                return list;
            });
            for (UploadSession session : open) {
                try {
                    sessionService.abort(session);
                    Log.infof("Upload %s aborted: video %s was deleted", session.id, event.data().videoId());
                } catch (ProblemException e) {
                    Log.warnf("Could not abort upload %s of deleted video %s: %s", session.id,
                            event.data().videoId(), e.getMessage());
                }
            }
            inbox.applyOnce(event.topic(), event.id(), () -> sessions.freeFileNameOf(event.data().videoId()));
        });
    }

    @Incoming(Channels.USER_DELETED)
    @Blocking
    public void userDeleted(ConsumerRecord<String, byte[]> record) {
        intake.consume(record, UserDeleted.class, event -> {
            UUID userId = event.data().userId();
            // remembered as deleted, then aborted: a failure part-way is retried with what is still open
            List<UploadSession> open = QuarkusTransaction.requiringNew().call(() -> {
                sessions.lockOwner(userId);
                sessions.rememberDeletedOwner(userId);
                List<UploadSession> list = sessions.openOf(userId);
                list.forEach(s -> sessions.getEntityManager().detach(s));
                return list;
            });
            for (UploadSession session : open) {
                try {
                    sessionService.abort(session);
                } catch (ProblemException e) {
                    Log.warnf("Could not abort upload %s of deleted user %s: %s", session.id, userId, e.getMessage());
                }
            }
            if (inbox.applyOnce(event.topic(), event.id(), () -> sessions.freeFileNamesOfOwner(userId))) {
                Log.infof("User %s deleted: %d unfinished upload(s) aborted", userId, open.size());
            }
        });
    }
}
