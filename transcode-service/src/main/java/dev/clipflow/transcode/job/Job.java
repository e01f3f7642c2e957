package dev.clipflow.transcode.job;

import dev.clipflow.contracts.events.TranscodeRequest;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** One unit of work for the workers (see V1__jobs.sql for the claiming protocol). */
@Entity
@Table(name = "transcode_job")
public class Job extends PanacheEntityBase {

    @Id
    public UUID id;

    @Enumerated(EnumType.STRING)
    public TranscodeRequest.Type type;

    @Enumerated(EnumType.STRING)
    public JobStatus status;

    public int progress;

    @Column(name = "video_id")
    public UUID videoId;

    /** Comma-separated source video ids (TRIM, MERGE). */
    @Column(name = "source_video_ids")
    public String sourceVideoIds = "";

    @Column(name = "owner_id")
    public UUID ownerId;

    /** The request's params as JSON. */
    public String params;

    public String error;

    public int attempts;

    public boolean cancelled;

    @Column(name = "lease_owner")
    public String leaseOwner;

    @Column(name = "lease_until")
    public Instant leaseUntil;

    @Column(name = "not_before")
    public Instant notBefore;

    @Column(name = "created_at")
    public Instant createdAt;

    /** The W3C trace context of the event or request that queued the job: the worker continues that trace. */
    public String traceparent;

    @Column(name = "updated_at")
    public Instant updatedAt;

    public List<UUID> sources() {
        if (sourceVideoIds == null || sourceVideoIds.isBlank()) {
            return List.of();
        }
        return Arrays.stream(sourceVideoIds.split(",")).map(UUID::fromString).toList();
    }

    public void sources(List<UUID> ids) {
        sourceVideoIds = ids == null ? "" : String.join(",", ids.stream().map(UUID::toString).toList());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Job that && id != null && id.equals(that.id);
    }

    @Override
    public int hashCode() {
        return Job.class.hashCode();
    }
}
