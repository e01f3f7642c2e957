package dev.clipflow.upload.quota.client;

import dev.clipflow.upload.config.UploadConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Optional;

/**
 * The client secret this service asks auth-service for service tokens with (for the quota-service calls).
 * Without it every token request fails at run time, so in prod ({@code clipflow.upload.require-client-secret})
 * the service does not start and says what is missing.
 */
@ApplicationScoped
class ClientSecretCheck {

    void check(@Observes StartupEvent start, UploadConfig config,
            @ConfigProperty(name = "quarkus.oidc-client.credentials.secret") Optional<String> secret) {
        if (config.requireClientSecret() && secret.filter(s -> !s.isBlank()).isEmpty()) {
            throw new IllegalStateException("No client secret for service tokens: set CLIPFLOW_CLIENT_SECRET"
                    + " (quarkus.oidc-client.credentials.secret) to this service's secret at auth-service; the Helm"
                    + " chart reads it from Secret clipflow-service-clients, key upload-service.");
        }
    }
}
