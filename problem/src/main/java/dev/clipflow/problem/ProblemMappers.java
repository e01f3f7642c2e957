package dev.clipflow.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.clipflow.contracts.problem.Problem;
import dev.clipflow.contracts.problem.ProblemException;
import io.quarkus.logging.Log;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Turns every failure into {@code application/problem+json} (RFC 9457) with a stable {@code code}.
 * Domain code throws {@link ProblemException}; framework failures (bad JSON, validation, security,
 * unknown routes) get codes of their own; the service's database out of reach is a 503 {@code service.unavailable}
 * with {@code Retry-After} ({@link StoreOutage}); anything unexpected is a 500 with no detail on the wire.
 */
public class ProblemMappers {

    /** How long a client should wait before sending again a request that met a store outage. */
    static final int STORE_OUTAGE_RETRY_AFTER_SECONDS = 5;

    @ServerExceptionMapper
    public RestResponse<Problem> domain(ProblemException e, UriInfo uri) {
        return respond(e.problem(), uri);
    }

    @ServerExceptionMapper
    public RestResponse<Problem> unauthenticated(UnauthorizedException e, UriInfo uri) {
        return unauthorized(uri);
    }

    @ServerExceptionMapper
    public RestResponse<Problem> badCredentials(AuthenticationFailedException e, UriInfo uri) {
        return unauthorized(uri);
    }

    @ServerExceptionMapper
    public RestResponse<Problem> forbidden(ForbiddenException e, UriInfo uri) {
        return respond(Problem.of(403, "auth.forbidden", "Forbidden",
                "Your account is not allowed to do this."), uri);
    }

    @ServerExceptionMapper
    public RestResponse<Problem> invalid(ConstraintViolationException e, UriInfo uri) {
        List<Map<String, String>> violations = e.getConstraintViolations().stream()
                .sorted(Comparator.comparing(v -> v.getPropertyPath().toString()))
                .map(ProblemMappers::violation)
                .toList();
        String detail = violations.stream().map(v -> v.get("field") + " " + v.get("message"))
                .reduce((a, b) -> a + "; " + b).orElse("The request is invalid.");
        return respond(Problem.of(400, "request.invalid", "Bad Request", detail).with("violations", violations), uri);
    }

    @ServerExceptionMapper
    public RestResponse<Problem> unknownField(UnrecognizedPropertyException e, UriInfo uri) {
        return respond(Problem.of(400, "request.unknown_field", "Bad Request",
                "Unknown field '" + e.getPropertyName() + "'.").with("field", e.getPropertyName()), uri);
    }

    @ServerExceptionMapper
    public RestResponse<Problem> wrongType(InvalidFormatException e, UriInfo uri) {
        return respond(Problem.of(400, "request.invalid_value", "Bad Request",
                "Field '" + path(e) + "' has an invalid value."), uri);
    }

    @ServerExceptionMapper
    public RestResponse<Problem> mismatched(MismatchedInputException e, UriInfo uri) {
        return respond(Problem.of(400, "request.invalid_value", "Bad Request",
                "The request body does not have the expected shape" + (path(e).isEmpty() ? "." : " at '" + path(e) + "'.")),
                uri);
    }

    @ServerExceptionMapper
    public RestResponse<Problem> malformed(JsonProcessingException e, UriInfo uri) {
        return respond(Problem.of(400, "request.malformed_json", "Bad Request", "The request body is not valid JSON."),
                uri);
    }

    @ServerExceptionMapper
    public RestResponse<Problem> http(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        if (e.getCause() instanceof JsonProcessingException json) {
            return malformed(json, uri);
        }
        if (status >= 500) {
            Log.errorf(e, "Request %s failed", uri.getPath());
        }
        Response.StatusType type = Response.Status.fromStatusCode(status);
        String title = type == null ? "Error" : type.getReasonPhrase();
        String detail = switch (status) {
            case 404 -> "Nothing is found at this path.";
            case 405 -> "This method is not allowed here.";
            case 406 -> "None of the accepted media types can be produced.";
            case 413 -> "The request body is too large.";
            case 415 -> "This media type is not supported here.";
            default -> status >= 500 ? "The server could not complete the request." : title + ".";
        };
        RestResponse.ResponseBuilder<Problem> builder = RestResponse.ResponseBuilder
                .<Problem>create(status).entity(Problem.of(status, "http." + status, title, detail).at(uri.getPath()))
                .type(Problem.MEDIA_TYPE);
        e.getResponse().getHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase(HttpHeaders.CONTENT_TYPE) && !name.equalsIgnoreCase(HttpHeaders.CONTENT_LENGTH)) {
                values.forEach(v -> builder.header(name, v));
            }
        });
        return builder.build();
    }

    @ServerExceptionMapper(priority = 10_000)
    public RestResponse<Problem> unexpected(Exception e, UriInfo uri) {
        if (isBodyParserFailure(e)) {
            return respond(Problem.of(400, "request.malformed_body", "Bad Request",
                    "The request body is not valid for its Content-Type."), uri);
        }
        if (StoreOutage.causes(e)) {
            Log.warnf("%s failed: the service's store is out of reach (%s); answered 503", uri.getPath(), rootCause(e));
            return RestResponse.ResponseBuilder.<Problem>create(503)
                    .entity(Problem.of(503, "service.unavailable", "Service Unavailable",
                            "The service cannot reach its database right now; send the request again shortly.")
                            .at(uri.getPath()))
                    .type(Problem.MEDIA_TYPE)
                    .header("Retry-After", String.valueOf(STORE_OUTAGE_RETRY_AFTER_SECONDS))
                    .build();
        }
        Log.errorf(e, "Unexpected failure of %s", uri.getPath());
        return respond(Problem.of(500, "internal", "Internal Server Error",
                "The server could not complete the request."), uri);
    }

    private static String rootCause(Throwable e) {
        Throwable root = e;
        for (int depth = 0; root.getCause() != null && depth < 16; depth++) {
            root = root.getCause();
        }
        return root.toString();
    }

    /**
     * A form or multipart body the framework could not parse: RESTEasy Reactive's body handler throws plain
     * {@code IOException}s ("Connection terminated parsing multipart request") and
     * {@code IllegalArgumentException}s ("Failed to decode URL") before any resource runs. The client's fault.
     */
    static boolean isBodyParserFailure(Throwable e) {
        for (StackTraceElement frame : e.getStackTrace()) {
            String type = frame.getClassName();
            if (type.startsWith("org.jboss.resteasy.reactive.server.core.multipart.")
                    || type.equals("org.jboss.resteasy.reactive.server.handlers.FormBodyHandler")) {
                return true;
            }
            if (type.startsWith("dev.clipflow.")) {
                return false; // our own code failed
            }
        }
        return false;
    }

    /** The 401 answer, the same for a missing, expired, forged or otherwise bad token. */
    public static RestResponse<Problem> unauthorized(UriInfo uri) {
        return RestResponse.ResponseBuilder
                .<Problem>create(401).entity(Problem.of(401, "auth.unauthenticated", "Unauthorized",
                        "A valid access token is required.").at(uri.getPath()))
                .type(Problem.MEDIA_TYPE)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .build();
    }

    public static RestResponse<Problem> respond(Problem problem, UriInfo uri) {
        return RestResponse.ResponseBuilder.<Problem>create(problem.status()).entity(problem.at(uri.getPath()))
                .type(Problem.MEDIA_TYPE)
                .build();
    }

    private static Map<String, String> violation(ConstraintViolation<?> v) {
        String path = v.getPropertyPath().toString();
        String field = path.contains(".") ? path.substring(path.lastIndexOf('.') + 1) : path;
        return Map.of("field", field, "message", v.getMessage());
    }

    private static String path(MismatchedInputException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .reduce((a, b) -> a + "." + b).orElse("");
    }
}
