package dev.clipflow.auth.web;

import dev.clipflow.auth.login.TooManyAttempts;
import dev.clipflow.contracts.problem.Problem;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** auth-service's additions to the shared problem mapping: 429 answers carry {@code Retry-After}. */
public class AuthProblemMappers {

    @ServerExceptionMapper
    public RestResponse<Problem> tooManyAttempts(TooManyAttempts e, UriInfo uri) {
        return RestResponse.ResponseBuilder.<Problem>create(429).entity(e.problem().at(uri.getPath()))
                .type(Problem.MEDIA_TYPE)
                .header("Retry-After", String.valueOf(e.retryAfterSeconds()))
                .build();
    }
}
