package dev.clipflow.catalog.category.rest;

import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import dev.clipflow.catalog.category.CategoryService;
import dev.clipflow.catalog.category.CategoryService.CategoryView;
import io.quarkus.security.Authenticated;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestPath;

import java.util.List;
import java.util.UUID;

/** Categories: everyone signed in reads them, admins curate them. */
@Path("/api/categories")
@Authenticated
public class CategoryResource {

    public record NewCategory(@NotNull @NotBlank @Size(max = 60) String name) {
    }

    private final CategoryService categories;

    public CategoryResource(CategoryService categories) {
        this.categories = categories;
    }

    @GET
    public List<CategoryView> list() {
        return categories.list();
    }

    @POST
    @RolesAllowed("admin")
    // without it a text/plain body reached the one-String-constructor record: "{...}" became a category name
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "201", description = "The category", content = @Content(mediaType = "application/json", schema = @Schema(implementation = dev.clipflow.catalog.category.CategoryService.CategoryView.class)))
    public Response create(@Valid @NotNull NewCategory body) {
        return Response.status(201).entity(categories.create(body.name())).build();
    }

    @DELETE
    @Path("{id}")
    @RolesAllowed("admin")
    @APIResponse(responseCode = "204", description = "Deleted")
    public Response delete(@RestPath UUID id) {
        categories.delete(id);
        return Response.noContent().build();
    }
}
