package dev.clipflow.problem;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

import java.util.List;
import java.util.Map;

/**
 * Documents the contract's error format in every service's OpenAPI document (mp.openapi.filter, set in this
 * module's microprofile-config.properties): a {@code Problem} schema, problem content on every 4xx/5xx response,
 * the 404 of operations that name a resource, the 400 of operations that take input, and a {@code default}
 * response for the rest (docs/problems.md lists every {@code code}); then {@link OperationExamples} gives every
 * operation its request, success and problem examples.
 */
public class ProblemOpenApiFilter implements OASFilter {

    static final String PROBLEM = "Problem";
    static final String PROBLEM_REF = "#/components/schemas/" + PROBLEM;

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        Components components = openAPI.getComponents();
        if (components == null) {
            components = OASFactory.createComponents();
            openAPI.setComponents(components);
        }
        components.addSchema(PROBLEM, problemSchema());
        if (openAPI.getPaths() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> item.getOperations()
                .forEach((method, operation) -> document(path, method, operation)));
        new OperationExamples(openAPI).addAll();
    }

    private static void document(String path, PathItem.HttpMethod method, Operation operation) {
        APIResponses responses = operation.getResponses();
        if (responses == null) {
            responses = OASFactory.createAPIResponses();
            operation.setResponses(responses);
        }
        boolean takesInput = operation.getRequestBody() != null
                || (operation.getParameters() != null && !operation.getParameters().isEmpty());
        if (takesInput && !responses.hasAPIResponse("400")) {
            responses.addAPIResponse("400", OASFactory.createAPIResponse()
                    .description("Bad input: a malformed or invalid parameter or body (code request.*)."));
        }
        if (path.contains("{") && !responses.hasAPIResponse("404")) {
            responses.addAPIResponse("404", OASFactory.createAPIResponse()
                    .description("Not found, or not yours (the same answer for both)."));
        }
        if (responses.getDefaultValue() == null) {
            responses.setDefaultValue(OASFactory.createAPIResponse()
                    .description("Any other failure, as application/problem+json: see the `code` catalogue."));
        }
        responses.getAPIResponses().forEach((status, response) -> {
            if (status.startsWith("4") || status.startsWith("5")) {
                problemContent(response);
            }
        });
        problemContent(responses.getDefaultValue());
    }

    private static void problemContent(APIResponse response) {
        if (response.getContent() != null && response.getContent().getMediaTypes() != null
                && !response.getContent().getMediaTypes().isEmpty()) {
            return;
        }
        Content content = OASFactory.createContent().addMediaType(dev.clipflow.contracts.problem.Problem.MEDIA_TYPE,
                OASFactory.createMediaType().schema(OASFactory.createSchema().ref(PROBLEM_REF)));
        response.setContent(content);
    }

    private static Schema problemSchema() {
        return OASFactory.createSchema()
                .type(List.of(Schema.SchemaType.OBJECT))
                .description("An RFC 9457 problem detail. `code` is the stable identifier to switch on; other members "
                        + "(e.g. `violations`, `missingChunks`) depend on the code.")
                .required(List.of("type", "title", "status", "code"))
                .properties(Map.of(
                        "type", string("A URI naming the kind of problem: https://clipflow.dev/problems/<code with / for .>"),
                        "title", string("A short summary of the status."),
                        "status", OASFactory.createSchema().type(List.of(Schema.SchemaType.INTEGER))
                                .description("The HTTP status code."),
                        "detail", string("What went wrong, for people."),
                        "code", string("The stable, machine-readable code (docs/problems.md)."),
                        "instance", string("The request path that failed.")))
                .additionalPropertiesBoolean(Boolean.TRUE)
                .example(Map.of("type", "https://clipflow.dev/problems/quota/storage_exceeded", "title", "Conflict",
                        "status", 409, "code", "quota.storage_exceeded",
                        "detail", "This upload needs 2.1 GB but only 0.4 GB of your 5 GB remain.",
                        "instance", "/api/uploads"));
    }

    private static Schema string(String description) {
        return OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING)).description(description);
    }
}
