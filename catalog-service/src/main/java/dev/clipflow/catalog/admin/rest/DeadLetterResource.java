package dev.clipflow.catalog.admin.rest;

import dev.clipflow.contracts.problem.ProblemException;
import dev.clipflow.messaging.DeadLetterAdmin;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;

import java.util.List;
import java.util.Map;

/**
 * The platform's dead letters (events a consumer could never apply, on {@code <topic>.dlq}): listed
 * per topic with reason and time, replayed one by one or all at once into the topic they came from.
 * Served by catalog-service for the whole platform (the dead-letter topics are Kafka's, not a service's).
 */
@Path("/api/admin/dead-letters")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "admin-dead-letters", description = "Dead-letter topics: list and replay (admin)")
public class DeadLetterResource {

    private final DeadLetterAdmin deadLetters;

    public DeadLetterResource(DeadLetterAdmin deadLetters) {
        this.deadLetters = deadLetters;
    }

    @GET
    @Operation(summary = "Every topic's dead-letter count", description = "One entry per contract topic: its "
            + "dead-letter topic, how many dead letters it holds and how many were never replayed.")
    @APIResponse(responseCode = "200", description = "topic, deadLetterTopic, deadLetters, pending")
    @APIResponse(responseCode = "403", description = "Not an admin")
    public List<DeadLetterAdmin.Summary> summary() {
        return deadLetters.summary();
    }

    @GET
    @Path("{topic}")
    @Operation(summary = "The dead letters of a topic", description = "Oldest first: partition and offset in the "
            + "dead-letter topic, key, event id, reason, the service that gave it up, when, where it came from, "
            + "and when it was replayed (null if never).")
    @APIResponse(responseCode = "200", description = "The dead letters")
    @APIResponse(responseCode = "403", description = "Not an admin")
    @APIResponse(responseCode = "404", description = "Not a topic of the event contract")
    public List<DeadLetterAdmin.DeadLetter> list(@RestPath String topic) {
        return deadLetters.list(topic);
    }

    @POST
    @Path("{topic}/replay")
    @Operation(summary = "Replay every pending dead letter of a topic", description = "Sends each dead letter that "
            + "was not replayed yet back to its topic (consumers are idempotent); answers how many.")
    @APIResponse(responseCode = "200", description = "{\"replayed\": n}")
    @APIResponse(responseCode = "403", description = "Not an admin")
    @APIResponse(responseCode = "404", description = "Not a topic of the event contract")
    public Map<String, Integer> replayAll(@RestPath String topic) {
        return Map.of("replayed", deadLetters.replayPending(topic));
    }

    @POST
    @Path("{topic}/{partition}/{offset}/replay")
    @Operation(summary = "Replay one dead letter", description = "Sends the dead letter at this partition and offset "
            + "of the topic's dead-letter topic back to the topic, replayed before or not.")
    @APIResponse(responseCode = "200", description = "The dead letter, with replayedAt set")
    @APIResponse(responseCode = "400", description = "partition or offset is not a non-negative integer")
    @APIResponse(responseCode = "403", description = "Not an admin")
    @APIResponse(responseCode = "404", description = "Not a contract topic, or no dead letter there")
    public DeadLetterAdmin.DeadLetter replayOne(@RestPath String topic, @RestPath String partition,
            @RestPath String offset) {
        return deadLetters.replay(topic, (int) number("partition", partition, Integer.MAX_VALUE),
                number("offset", offset, Long.MAX_VALUE));
    }

    private static long number(String name, String text, long max) {
        try {
            long value = Long.parseLong(text);
            if (value >= 0 && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ProblemException.badRequest("request.invalid_value", name + " must be an integer from 0 to " + max + ".");
    }
}
