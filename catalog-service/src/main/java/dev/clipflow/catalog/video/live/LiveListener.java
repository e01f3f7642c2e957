package dev.clipflow.catalog.video.live;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Consumer;

/**
 * This replica's end of {@link LiveUpdates}: one dedicated PostgreSQL connection (outside the pool, so it
 * never takes a connection from requests) that {@code LISTEN}s and hands each update to the local
 * subscribers of its video. A lost connection is reopened after a second; updates committed while it was
 * down are not replayed (a client that reconnects gets a fresh snapshot).
 */
@ApplicationScoped
public class LiveListener {

    private final Map<UUID, Set<Consumer<VideoUpdate>>> subscribers = new ConcurrentHashMap<>();
    private final Set<Consumer<VideoUpdate>> everyVideo = new CopyOnWriteArraySet<>();
    private final String url;
    private final Optional<String> user;
    private final Optional<String> password;
    private final ObjectMapper json;
    private volatile boolean running;
    private volatile boolean listening;
    private Thread thread;

    public LiveListener(@ConfigProperty(name = "quarkus.datasource.jdbc.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") Optional<String> user,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password, ObjectMapper json) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.json = json;
    }

    void start(@Observes StartupEvent event) {
        running = true;
        thread = new Thread(this::loop, "live-updates-listener");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    /** Whether the LISTEN connection is up (updates of other replicas arrive). */
    public boolean listening() {
        return listening;
    }

    /** Hands every update of {@code videoId} to {@code sink} (on the listener's thread) until closed. */
    public AutoCloseable subscribe(UUID videoId, Consumer<VideoUpdate> sink) {
        subscribers.computeIfAbsent(videoId, id -> new CopyOnWriteArraySet<>()).add(sink);
        return () -> subscribers.computeIfPresent(videoId, (id, set) -> {
            set.remove(sink);
            return set.isEmpty() ? null : set;
        });
    }

    /** Hands every update of every video to {@code sink} (on the listener's thread), e.g. to drop cached rows. */
    public void subscribeAll(Consumer<VideoUpdate> sink) {
        everyVideo.add(sink);
    }

    private void loop() {
        while (running) {
            try (Connection connection = DriverManager.getConnection(url, user.orElse(null), password.orElse(null))) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + LiveUpdates.CHANNEL);
                }
                PGConnection pg = connection.unwrap(PGConnection.class);
                listening = true;
                Log.debugf("Listening for live video updates on %s", LiveUpdates.CHANNEL);
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(5000);
                    if (notifications != null) {
                        for (PGNotification notification : notifications) {
                            dispatch(notification.getParameter());
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                listening = false;
                if (running) {
                    Log.warnf("Live video updates: listening failed (%s); retrying in 1 s", e.getMessage());
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
        listening = false;
    }

    private void dispatch(String payload) {
        VideoUpdate update;
        try {
            update = json.readValue(payload, VideoUpdate.class);
        } catch (Exception e) {
            Log.warnf("Ignoring an unreadable live video update: %s", e.getMessage());
            return;
        }
        for (Consumer<VideoUpdate> sink : everyVideo) {
            hand(sink, update);
        }
        Set<Consumer<VideoUpdate>> sinks = subscribers.get(update.videoId());
        if (sinks == null) {
            return;
        }
        for (Consumer<VideoUpdate> sink : sinks) {
            hand(sink, update);
        }
    }

    private static void hand(Consumer<VideoUpdate> sink, VideoUpdate update) {
        try {
            sink.accept(update);
        } catch (RuntimeException e) {
            Log.debugf("A live update subscriber failed: %s", e.getMessage());
        }
    }
}
