package dev.clipflow.upload.account.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clipflow.contracts.events.EventJson;
import dev.clipflow.contracts.events.EventSchemas;
import dev.clipflow.contracts.events.Topics;
import dev.clipflow.outbox.Inbox;
import dev.clipflow.upload.session.entity.UploadSession;
import dev.clipflow.upload.session.entity.UploadSessionRepository;
import dev.clipflow.upload.session.service.SessionService;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.List;
import java.util.UUID;

/**
 * {@code video.deleted} frees the video's file name; {@code user.deleted} remembers the user as deleted
 * (a completion running meanwhile aborts at its end), frees all of the user's names and aborts their
 * unfinished uploads (parts deleted, reservations released). Idempotent
 * through the inbox; events that break their schema are logged and skipped.
 */
@ApplicationScoped
public class AccountEvents {

    public static final String VIDEO_DELETED = "video-deleted";
    public static final String USER_DELETED = "user-deleted";

    private final UploadSessionRepository sessions;
    private final SessionService sessionService;
    private final Inbox inbox;
    private final ObjectMapper json = EventJson.mapper();

    public AccountEvents(UploadSessionRepository sessions, SessionService sessionService, Inbox inbox) {
        this.sessions = sessions;
        this.sessionService = sessionService;
        this.inbox = inbox;
    }

    @Incoming(VIDEO_DELETED)
    @Blocking
    public void videoDeleted(String payload) {
        JsonNode event = valid(Topics.VIDEO_DELETED, payload);
        if (event == null) {
            return;
        }
        UUID videoId = UUID.fromString(event.path("data").path("videoId").asText());
        QuarkusTransaction.requiringNew().run(() -> {
            if (inbox.firstDelivery(Topics.VIDEO_DELETED, event.path("id").asText())) {
                sessions.freeFileNameOf(videoId);
            }
        });
    }

    @Incoming(USER_DELETED)
    @Blocking
    public void userDeleted(String payload) {
        JsonNode event = valid(Topics.USER_DELETED, payload);
        if (event == null) {
            return;
        }
        UUID userId = UUID.fromString(event.path("data").path("userId").asText());
        List<UploadSession> open = QuarkusTransaction.requiringNew().call(() -> {
            if (!inbox.firstDelivery(Topics.USER_DELETED, event.path("id").asText())) {
                return List.<UploadSession>of();
            }
            sessions.lockOwner(userId);
            sessions.rememberDeletedOwner(userId);
            sessions.freeFileNamesOfOwner(userId);
            List<UploadSession> list = sessions.openOf(userId);
            list.forEach(s -> sessions.getEntityManager().detach(s));
            return list;
        });
        for (UploadSession session : open) {
            try {
                sessionService.abort(session);
            } catch (RuntimeException e) {
                Log.warnf("Could not abort upload %s of deleted user %s: %s", session.id, userId, e.getMessage());
            }
        }
        Log.infof("User %s deleted: %d unfinished upload(s) aborted", userId, open.size());
    }

    private JsonNode valid(String topic, String payload) {
        try {
            JsonNode event = json.readTree(payload);
            List<String> errors = EventSchemas.validateEvent(topic, event);
            if (!errors.isEmpty()) {
                Log.warnf("Skipping invalid %s event: %s", topic, errors);
                return null;
            }
            return event;
        } catch (Exception e) {
            Log.warnf("Skipping unreadable %s event: %s", topic, e.getMessage());
            return null;
        }
    }
}
