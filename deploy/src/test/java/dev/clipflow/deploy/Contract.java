package dev.clipflow.deploy;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** What the chart must implement, written down from shared/contract.md and docs/team-notes.md. */
final class Contract {

    static final List<String> SERVICES = List.of(
            "auth-service", "upload-service", "transcode-service", "catalog-service", "quota-service",
            "notify-service");

    /** The gateway table of the contract: path prefix -> service. */
    static final Map<String, String> ROUTES = Map.ofEntries(
            Map.entry("/api/auth", "auth-service"),
            Map.entry("/api/admin/users", "auth-service"),
            // the merged API document and Swagger UI (api-docs, served by auth-service)
            Map.entry("/api/openapi.json", "auth-service"),
            Map.entry("/api/openapi.yaml", "auth-service"),
            Map.entry("/api/docs", "auth-service"),
            Map.entry("/api/uploads", "upload-service"),
            Map.entry("/api/tus", "upload-service"),
            Map.entry("/api/jobs", "transcode-service"),
            Map.entry("/api/videos", "catalog-service"),
            Map.entry("/api/share", "catalog-service"),
            Map.entry("/api/categories", "catalog-service"),
            Map.entry("/api/admin/videos", "catalog-service"),
            Map.entry("/api/admin/dead-letters", "catalog-service"),
            Map.entry("/api/quota", "quota-service"),
            Map.entry("/api/admin/quota", "quota-service"),
            Map.entry("/api/webhooks", "notify-service"));

    /**
     * Internal calls (team notes): every service fetches auth-service's JWKS (auth-service reads its
     * own over localhost); upload and catalog get service tokens from auth-service and call
     * quota-service's /internal/quota API; catalog calls upload-service's /internal/uploads (replace). Nothing else
     * calls anything.
     */
    static final Set<String> CALLS = Set.of(
            "upload-service->auth-service", "transcode-service->auth-service",
            "catalog-service->auth-service", "quota-service->auth-service", "notify-service->auth-service",
            "upload-service->quota-service", "catalog-service->quota-service",
            // POST /api/videos/{id}/replace: catalog opens the upload of the new file (POST /internal/uploads)
            "catalog-service->upload-service");

    /** Datastores per service (team notes). */
    static final Map<String, Set<String>> DATASTORES = Map.of(
            "auth-service", Set.of("postgresql", "kafka"),
            "upload-service", Set.of("postgresql", "kafka", "blobstore"),
            "transcode-service", Set.of("postgresql", "kafka", "blobstore"),
            "catalog-service", Set.of("postgresql", "kafka", "blobstore"),
            "quota-service", Set.of("mongodb", "kafka"),
            // webhooks: customers' endpoints on the public internet (any port, never private ranges)
            "notify-service", Set.of("postgresql", "kafka", "webhooks"));

    static final int CONTAINER_PORT = 8080;

    private Contract() {
    }
}
