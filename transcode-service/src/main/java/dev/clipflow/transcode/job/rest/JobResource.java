package dev.clipflow.transcode.job.rest;

import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import dev.clipflow.contracts.api.Page;
import dev.clipflow.contracts.problem.ProblemException;
import dev.clipflow.transcode.job.JobStatus;
import dev.clipflow.transcode.job.service.Caller;
import dev.clipflow.transcode.job.service.JobService;
import dev.clipflow.transcode.job.service.JobView;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.ResponseStatus;

import java.util.Locale;
import java.util.UUID;

/**
 * Transcode jobs. Users see their own jobs (another user's job is a 404); admins (and internal
 * services) see every job and may retry a FAILED one.
 */
@Path("/api/jobs")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class JobResource {

    private final JobService jobs;
    private final SecurityIdentity identity;

    public JobResource(JobService jobs, SecurityIdentity identity) {
        this.jobs = jobs;
        this.identity = identity;
    }

    /** {@code ?videoId=} one video's jobs; {@code ?status=} QUEUED|RUNNING|SUCCEEDED|FAILED; newest first. */
    @GET
    public Page<JobView> list(@QueryParam("videoId") String videoId, @QueryParam("status") String status,
            @QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        return jobs.list(caller(), videoId == null || videoId.isBlank() ? null : uuid(videoId, "videoId"),
                status(status), pageRequest(page, size));
    }

    @GET
    @Path("/{jobId}")
    public JobView get(@PathParam("jobId") String jobId) {
        return jobs.get(jobId(jobId), caller());
    }

    @POST
    @Path("/{jobId}/retry")
    @RolesAllowed("admin")
    @ResponseStatus(202)
    @APIResponse(responseCode = "202", description = "Queued again", content = @Content(mediaType = "application/json", schema = @Schema(implementation = JobView.class)))
    public JobView retry(@PathParam("jobId") String jobId) {
        return jobs.retry(jobId(jobId));
    }

    private Caller caller() {
        boolean privileged = identity.hasRole("admin") || identity.hasRole("service");
        String subject = identity.getPrincipal().getName();
        if (!privileged) {
            try {
                return new Caller(UUID.fromString(((org.eclipse.microprofile.jwt.JsonWebToken) identity.getPrincipal())
                        .getSubject()), false);
            } catch (RuntimeException e) {
                throw new ProblemException(403, "auth.forbidden", "Forbidden", "The token names no user.");
            }
        }
        return new Caller(parseOrNull(subject), true);
    }

    private static UUID parseOrNull(String text) {
        try {
            return UUID.fromString(text);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static UUID jobId(String text) {
        UUID id = parseOrNull(text);
        if (id == null) {
            throw ProblemException.notFound("Job " + text);
        }
        return id;
    }

    private static UUID uuid(String text, String name) {
        UUID id = parseOrNull(text);
        if (id == null) {
            throw ProblemException.badRequest("request.invalid_value", name + " must be a UUID.");
        }
        return id;
    }

    private static JobStatus status(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return JobStatus.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("request.invalid_value",
                    "status must be one of QUEUED, RUNNING, SUCCEEDED, FAILED.");
        }
    }

    private static Page.PageRequest pageRequest(Integer page, Integer size) {
        try {
            return Page.PageRequest.of(page, size);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("request.invalid_paging", e.getMessage() + ".");
        }
    }
}
