package dev.clipflow.notify.webhook.service;

import dev.clipflow.contracts.api.Page;
import dev.clipflow.contracts.problem.ProblemException;
import dev.clipflow.notify.config.NotifyConfig;
import dev.clipflow.notify.webhook.Endpoint;
import dev.clipflow.notify.webhook.EventTypes;
import dev.clipflow.notify.webhook.delivery.Signatures;
import dev.clipflow.notify.webhook.delivery.TargetGuard;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;

/** Registering, changing, listing and deleting webhook endpoints, and rotating their secrets. */
@ApplicationScoped
public class Endpoints {

    /**
     * What a user sends to create or replace an endpoint; {@code allUsers} (admins, at creation) makes it a
     * platform endpoint that receives every user's events.
     */
    public record EndpointSpec(String url, List<String> eventTypes, Boolean enabled, String description,
            Boolean allUsers) {
    }

    private final EntityManager em;
    private final TargetGuard guard;
    private final NotifyConfig config;

    public Endpoints(EntityManager em, TargetGuard guard, NotifyConfig config) {
        this.em = em;
        this.guard = guard;
        this.config = config;
    }

    @Transactional
    public EndpointView create(Caller caller, EndpointSpec spec) {
        String url = checkedUrl(spec.url());
        String types = checkedTypes(spec.eventTypes());
        boolean platform = Boolean.TRUE.equals(spec.allUsers());
        if (platform && !caller.admin()) {
            throw new ProblemException(403, "auth.forbidden", "Forbidden",
                    "Only admins register endpoints for all users (allUsers).");
        }
        long count = platform
                ? em.createQuery("select count(e) from Endpoint e where e.ownerId is null", Long.class).getSingleResult()
                : em.createQuery("select count(e) from Endpoint e where e.ownerId = ?1", Long.class)
                        .setParameter(1, caller.userId()).getSingleResult();
        if (count >= config.maxEndpointsPerUser()) {
            throw new ProblemException(409, "webhook.too_many_endpoints", "Conflict",
                    "At most " + config.maxEndpointsPerUser() + (platform ? " platform" : "")
                            + " webhook endpoints per user; delete one first.");
        }
        Instant now = now();
        Endpoint e = new Endpoint();
        e.id = UUID.randomUUID();
        e.ownerId = platform ? null : caller.userId();
        e.url = url;
        e.eventTypes = types;
        e.description = description(spec.description());
        e.enabled = spec.enabled() == null || spec.enabled();
        e.secret = Signatures.newSecret();
        e.createdAt = now;
        e.updatedAt = now;
        em.persist(e);
        return EndpointView.of(e, e.secret);
    }

    @Transactional
    public Page<EndpointView> list(Caller caller, UUID ownerId, int page, int size) {
        UUID owner = caller.admin() ? ownerId : caller.userId();
        String where = owner == null ? "" : " where e.ownerId = :owner";
        var query = em.createQuery("select e from Endpoint e" + where + " order by e.createdAt desc, e.id", Endpoint.class);
        var count = em.createQuery("select count(e) from Endpoint e" + where, Long.class);
        if (owner != null) {
            query.setParameter("owner", owner);
            count.setParameter("owner", owner);
        }
        List<EndpointView> items = query.setFirstResult(page * size).setMaxResults(size).getResultList().stream()
                .map(e -> EndpointView.of(e, null)).toList();
        return new Page<>(items, page, size, count.getSingleResult());
    }

    @Transactional
    public EndpointView get(Caller caller, UUID id) {
        return EndpointView.of(find(caller, id), null);
    }

    /**
     * Replaces URL, event types, enabled and description; enabling again clears the platform's disabling.
     * {@code allUsers} is fixed at creation (absent or the same value: fine).
     */
    @Transactional
    public EndpointView update(Caller caller, UUID id, EndpointSpec spec) {
        Endpoint e = findForChange(caller, id);
        if (spec.allUsers() != null && spec.allUsers() != e.allUsers()) {
            throw new ProblemException(400, "webhook.invalid_scope", "Bad Request",
                    "allUsers is fixed when an endpoint is registered; register a new endpoint instead.");
        }
        e.url = checkedUrl(spec.url());
        e.eventTypes = checkedTypes(spec.eventTypes());
        e.description = description(spec.description());
        boolean enabled = spec.enabled() == null || spec.enabled();
        if (enabled && !e.enabled) {
            e.failingSince = null;
            e.disabledReason = null;
        }
        e.enabled = enabled;
        e.updatedAt = now();
        return EndpointView.of(e, null);
    }

    @Transactional
    public void delete(Caller caller, UUID id) {
        em.remove(findForChange(caller, id));
    }

    /** Deletes every endpoint of a user (their account is gone); returns how many. */
    @Transactional
    public int deleteAllOf(UUID ownerId) {
        return em.createQuery("delete from Endpoint e where e.ownerId = ?1").setParameter(1, ownerId).executeUpdate();
    }

    /** A new secret; the previous one keeps signing for {@code grace} (default from configuration). */
    @Transactional
    public EndpointView rotate(Caller caller, UUID id, Duration grace) {
        Endpoint e = findForChange(caller, id);
        Duration keep = grace == null ? config.secretRotationGrace() : grace;
        if (keep.isNegative() || keep.compareTo(Duration.ofDays(7)) > 0) {
            throw new ProblemException(400, "webhook.invalid_grace", "Bad Request",
                    "graceSeconds must be between 0 and 604800 (7 days).");
        }
        Instant now = now();
        e.previousSecret = e.secret;
        e.previousSecretExpiresAt = now.plus(keep);
        e.secret = Signatures.newSecret();
        e.updatedAt = now;
        return EndpointView.of(e, e.secret);
    }

    /**
     * The endpoint if the caller may manage it; 404 otherwise (another user's endpoint, or a platform one for a
     * user, does not exist for them).
     */
    public Endpoint find(Caller caller, UUID id) {
        return check(caller, em.find(Endpoint.class, id));
    }

    /**
     * {@link #find}, with the row locked until the transaction ends: two changes of one endpoint at once (two
     * rotations, a PUT and a rotation) take turns instead of one failing its version check with a 500.
     */
    private Endpoint findForChange(Caller caller, UUID id) {
        return check(caller, em.find(Endpoint.class, id, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE));
    }

    private static Endpoint check(Caller caller, Endpoint e) {
        if (e == null || !caller.mayManage(e.ownerId)) {
            throw new ProblemException(404, "webhook.not_found", "Not Found", "No such webhook endpoint.");
        }
        return e;
    }

    private String checkedUrl(String url) {
        if (url == null || url.isBlank()) {
            throw new ProblemException(400, "webhook.invalid_url", "Bad Request", "url is required.");
        }
        if (url.length() > 2048) {
            throw new ProblemException(400, "webhook.invalid_url", "Bad Request", "url is longer than 2048 characters.");
        }
        try {
            TargetGuard.parse(url);
        } catch (TargetGuard.Refused e) {
            throw new ProblemException(400, "webhook.invalid_url", "Bad Request", e.getMessage());
        }
        try {
            guard.check(url);
        } catch (TargetGuard.Refused e) {
            throw new ProblemException(400, "webhook.url_refused", "Bad Request", e.getMessage());
        }
        return url;
    }

    private static String checkedTypes(List<String> types) {
        if (types == null || types.isEmpty()) {
            throw new ProblemException(400, "webhook.invalid_event_types", "Bad Request",
                    "eventTypes must name at least one of " + String.join(", ", EventTypes.ALL) + ".");
        }
        LinkedHashSet<String> distinct = new LinkedHashSet<>();
        for (String type : types) {
            if (type == null || !EventTypes.ALL.contains(type)) {
                throw new ProblemException(400, "webhook.invalid_event_types", "Bad Request",
                        "Unknown event type '" + type + "'; one of " + String.join(", ", EventTypes.ALL) + ".");
            }
            distinct.add(type);
        }
        return String.join(",", distinct);
    }

    private static String description(String description) {
        if (description != null && description.length() > 500) {
            throw new ProblemException(400, "webhook.invalid_description", "Bad Request",
                    "description is longer than 500 characters.");
        }
        return description;
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
