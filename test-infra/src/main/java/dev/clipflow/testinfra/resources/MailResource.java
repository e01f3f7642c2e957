package dev.clipflow.testinfra.resources;

import dev.clipflow.testinfra.servers.MailServer;
import dev.clipflow.testinfra.servers.Ports;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/** A real SMTP server (GreenMail) for a test run; points Quarkus Mailer at it. */
public class MailResource implements QuarkusTestResourceLifecycleManager {

    private static volatile MailServer server;

    @Override
    public Map<String, String> start() {
        server = MailServer.start(Ports.free());
        return Map.of(
                "quarkus.mailer.host", "127.0.0.1",
                "quarkus.mailer.port", String.valueOf(server.port()),
                "quarkus.mailer.mock", "false",
                "quarkus.mailer.tls", "false",
                "quarkus.mailer.start-tls", "DISABLED");
    }

    /** The running server, to read what was sent. */
    public static MailServer server() {
        return server;
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }
}
