package dev.clipflow.upload.tus.rest;

import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import dev.clipflow.contracts.problem.ProblemException;
import dev.clipflow.upload.config.UploadConfig;
import dev.clipflow.upload.session.entity.UploadSession;
import dev.clipflow.upload.session.rest.Caller;
import dev.clipflow.upload.tus.service.TusConcatenation;
import dev.clipflow.upload.tus.service.TusService;
import dev.clipflow.upload.ingest.IncomingBody;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.Context;
import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/**
 * tus 1.0.0: core, creation, creation-with-upload, termination, checksum, expiration, concatenation.
 * Works with the stock tus-js-client and Uppy; Locations are relative to the gateway.
 */
@Path("/api/tus")
@Authenticated
@Blocking
public class TusResource {

    public static final String VERSION = "1.0.0";
    public static final String EXTENSIONS = "creation,creation-with-upload,termination,checksum,expiration,concatenation";
    public static final String OFFSET_OCTET_STREAM = "application/offset+octet-stream";

    private final TusService tus;
    private final TusConcatenation concat;
    private final UploadConfig config;
    private final JsonWebToken jwt;

    public TusResource(TusService tus, TusConcatenation concat, UploadConfig config, JsonWebToken jwt) {
        this.tus = tus;
        this.concat = concat;
        this.config = config;
        this.jwt = jwt;
    }

    @OPTIONS
    @Path("/")
    @PermitAll
    @APIResponse(responseCode = "204", description = "The server's tus version, extensions and maximum size (Tus-* headers)")
    public Response options() {
        return Response.noContent()
                .header("Tus-Resumable", VERSION)
                .header("Tus-Version", VERSION)
                .header("Tus-Extension", EXTENSIONS)
                .header("Tus-Max-Size", config.maxFileSize())
                .header("Tus-Checksum-Algorithm", "sha1,sha256,md5")
                .build();
    }

    @POST
    @Path("/")
    @Consumes(MediaType.WILDCARD)
    @RequestBody(required = true, content = @Content(mediaType = "*/*",
            schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "201", description = "Created: Location names the upload; Upload-Offset when data came with it. "
            + "A final upload (Upload-Concat: final;...) is complete when this answers")
    public Response create(@HeaderParam("Tus-Resumable") String resumable, @HeaderParam("Upload-Length") String length,
            @HeaderParam("Upload-Defer-Length") String defer, @HeaderParam("Upload-Metadata") String metadata,
            @HeaderParam("Upload-Concat") String uploadConcat,
            @HeaderParam("Content-Type") String contentType, @HeaderParam("Content-Length") Long contentLength,
            @HeaderParam("Upload-Checksum") String checksum, @Context HttpServerRequest request) {
        requireVersion(resumable);
        if (defer != null) {
            throw ProblemException.badRequest("tus.defer_length_unsupported", "Upload-Defer-Length is not supported.");
        }
        if (uploadConcat != null && !uploadConcat.strip().equals("partial")) {
            if (length != null || contentLength != null && contentLength > 0) {
                throw ProblemException.badRequest("tus.invalid_header",
                        "A final upload (Upload-Concat: final;...) has neither Upload-Length nor a body.");
            }
            UploadSession done = concat.createFinal(Caller.id(jwt), uploadConcat, metadata);
            return Response.status(201).header("Location", "/api/tus/" + done.id).header("Tus-Resumable", VERSION)
                    .header("Upload-Offset", done.sizeBytes).build();
        }
        long size = number(length, "Upload-Length");
        if (size <= 0) {
            throw ProblemException.badRequest("tus.invalid_length", "Upload-Length must be positive.");
        }
        UploadSession session = uploadConcat != null ? concat.createPartial(Caller.id(jwt), size)
                : tus.create(Caller.id(jwt), size, metadata);
        Response.ResponseBuilder reply = Response.status(201)
                .header("Location", "/api/tus/" + session.id)
                .header("Tus-Resumable", VERSION)
                .header("Upload-Expires", httpDate(session));
        if (contentLength != null && contentLength > 0) {
            if (!OFFSET_OCTET_STREAM.equalsIgnoreCase(mediaType(contentType))) {
                throw new ProblemException(415, "tus.content_type", "Unsupported Media Type",
                        "A creation body must be " + OFFSET_OCTET_STREAM + ".");
            }
            try (IncomingBody body = IncomingBody.of(request, config.bodyWindow(), config.bodyTap())) {
                reply.header("Upload-Offset", tus.append(session, 0, contentLength, body, checksum));
            }
        }
        return reply.build();
    }

    @HEAD
    @Path("/{uploadId}")
    @APIResponse(responseCode = "200", description = "Upload-Offset and Upload-Length of the upload; Upload-Concat "
            + "for a partial or final upload")
    public Response head(@HeaderParam("Tus-Resumable") String resumable, @PathParam("uploadId") UUID uploadId) {
        requireVersion(resumable);
        UploadSession session = tus.session(Caller.id(jwt), uploadId);
        if (session.concatFinal == null && session.state == UploadSession.State.ABORTED || session.state == UploadSession.State.EXPIRED
                || session.state == UploadSession.State.FAILED) {
            return Response.status(410).header("Tus-Resumable", VERSION).build();
        }
        Response.ResponseBuilder reply = Response.ok()
                .header("Tus-Resumable", VERSION)
                .header("Upload-Offset", session.bytesReceived)
                .header("Upload-Length", session.sizeBytes)
                .header("Cache-Control", "no-store")
                .header("Upload-Expires", httpDate(session));
        if (session.tusMetadata != null) {
            reply.header("Upload-Metadata", session.tusMetadata);
        }
        if (session.tusConcat == UploadSession.Concat.PARTIAL) {
            reply.header("Upload-Concat", "partial");
        } else if (session.tusConcat == UploadSession.Concat.FINAL) {
            reply.header("Upload-Concat", "final;" + String.join(" ",
                    session.parts().stream().map(id -> "/api/tus/" + id).toList()));
        }
        return reply.build();
    }

    @PATCH
    @Path("/{uploadId}")
    @Consumes(MediaType.WILDCARD)
    @RequestBody(required = true, content = @Content(mediaType = "*/*",
            schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "204", description = "Accepted: Upload-Offset is the new offset")
    @APIResponse(responseCode = "403", description = "tus.concat_final: a final upload takes no PATCH")
    public Response patch(@HeaderParam("Tus-Resumable") String resumable, @PathParam("uploadId") UUID uploadId,
            @HeaderParam("Content-Type") String contentType, @HeaderParam("Upload-Offset") String offset,
            @HeaderParam("Content-Length") Long contentLength, @HeaderParam("Upload-Checksum") String checksum,
            @Context HttpServerRequest request) {
        requireVersion(resumable);
        if (!OFFSET_OCTET_STREAM.equalsIgnoreCase(mediaType(contentType))) {
            throw new ProblemException(415, "tus.content_type", "Unsupported Media Type",
                    "PATCH bodies must be " + OFFSET_OCTET_STREAM + ".");
        }
        long at = number(offset, "Upload-Offset");
        TusService.Appended appended;
        // the body's first blocks arrive while the chunk is claimed
        try (IncomingBody body = IncomingBody.of(request, config.bodyWindow(), config.bodyTap()).prefetch()) {
            appended = tus.patch(Caller.id(jwt), uploadId, at, contentLength, body, checksum);
        }
        return Response.noContent()
                .header("Tus-Resumable", VERSION)
                .header("Upload-Offset", appended.offset())
                .header("Upload-Expires", httpDate(appended.session()))
                .build();
    }

    @DELETE
    @Path("/{uploadId}")
    @APIResponse(responseCode = "204", description = "Terminated")
    public Response terminate(@HeaderParam("Tus-Resumable") String resumable, @PathParam("uploadId") UUID uploadId) {
        requireVersion(resumable);
        tus.terminate(tus.session(Caller.id(jwt), uploadId));
        return Response.noContent().header("Tus-Resumable", VERSION).build();
    }

    private static void requireVersion(String resumable) {
        if (!VERSION.equals(resumable)) {
            throw new ProblemException(dev.clipflow.contracts.problem.Problem.of(412, "tus.version_unsupported",
                    "Precondition Failed", "Tus-Resumable must be " + VERSION + ".").with("tusVersion", VERSION));
        }
    }

    private static long number(String value, String header) {
        try {
            return Long.parseLong(value == null ? "" : value.trim());
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest("tus.invalid_header", header + " must be a non-negative integer.");
        }
    }

    private static String mediaType(String contentType) {
        return contentType == null ? "" : contentType.split(";")[0].trim();
    }

    private static String httpDate(UploadSession session) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(session.expiresAt.atOffset(ZoneOffset.UTC));
    }
}
