package dev.clipflow.upload.session.rest;

import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.core.Context;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import dev.clipflow.upload.session.api.UploadReplies;
import dev.clipflow.upload.session.service.DirectUploadService;
import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.resteasy.reactive.ResponseStatus;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * One-request upload of a whole file (multipart), for small files and simple clients; admitted before its
 * body is read by {@link DirectUploadGate}.
 */
@Path("/api/uploads/direct")
@Authenticated
@Blocking
public class DirectUploadResource {

    private final DirectUploadService direct;
    private final JsonWebToken jwt;

    public DirectUploadResource(DirectUploadService direct, JsonWebToken jwt) {
        this.direct = direct;
        this.jwt = jwt;
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.APPLICATION_JSON)
    @ResponseStatus(202)
    @APIResponse(responseCode = "202", description = "Accepted: the video is PROCESSING", content = @Content(mediaType = "application/json", schema = @Schema(implementation = UploadReplies.Accepted.class)))
    public UploadReplies.Accepted upload(@RestForm("file") FileUpload file, @RestForm("title") String title,
            @RestForm("description") String description, @RestForm("category") String category,
            @Context RoutingContext routing) {
        return direct.upload(Caller.id(jwt), file, title, description, category,
                routing.get(DirectUploadGate.ADMISSION));
    }
}
