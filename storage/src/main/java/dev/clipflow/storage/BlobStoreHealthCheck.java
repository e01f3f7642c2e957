package dev.clipflow.storage;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only when the blob store answers ({@link BlobStore#checkReachable()}): a service whose volume
 * is missing or whose bucket it cannot read takes no traffic. Shows the store's location in
 * {@code /q/health}.
 */
@Readiness
@ApplicationScoped
public class BlobStoreHealthCheck implements HealthCheck {

    private final BlobStore store;

    public BlobStoreHealthCheck(BlobStore store) {
        this.store = store;
    }

    @Override
    public HealthCheckResponse call() {
        try {
            store.checkReachable();
            return HealthCheckResponse.named("blob-store").up().withData("location", store.location()).build();
        } catch (RuntimeException e) {
            return HealthCheckResponse.named("blob-store").down().withData("location", store.location())
                    .withData("reason", String.valueOf(e.getMessage())).build();
        }
    }
}
