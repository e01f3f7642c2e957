package dev.clipflow.catalog.media;

import dev.clipflow.catalog.bandwidth.BandwidthMeter;
import dev.clipflow.catalog.bandwidth.QuotaGate;
import dev.clipflow.catalog.config.CatalogConfig;
import dev.clipflow.contracts.problem.ProblemException;
import dev.clipflow.storage.BlobInfo;
import dev.clipflow.storage.BlobStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import io.vertx.ext.web.RoutingContext;
import org.jboss.resteasy.reactive.PathPart;
import org.jboss.resteasy.reactive.server.core.CurrentRequestManager;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;

import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

/**
 * Serves one blob over HTTP the way players and download managers expect: byte ranges (206 /
 * 416), conditional requests (ETag, Last-Modified, If-Range, If-None-Match, If-Modified-Since),
 * HEAD, caching headers. A blob the store keeps as a local file goes out with zero-copy
 * ({@code sendfile}: Quarkus REST hands a {@link PathPart} to Vert.x, the kernel copies from the
 * page cache to the socket); others stream from the store in 64 KiB pieces. The bytes sent are
 * counted as the owner's bandwidth, and an owner over their limit is refused before anything is sent.
 * On a store that signs URLs (GCS), {@code clipflow.catalog.signed-redirects=true} answers MP4 and
 * segment requests with a 307 to a V4 signed URL instead, charging the bytes it was signed for.
 */
@ApplicationScoped
public class MediaServer {

    private static final int BUFFER = 64 * 1024;

    /**
     * What the client sent that shapes the answer, and the exchange it came on (null outside an HTTP request), taken
     * where the request arrives: the answer may be made on another thread.
     */
    public record Conditions(boolean head, String range, String ifRange, String ifNoneMatch, String ifModifiedSince,
            RoutingContext exchange) {

        public Conditions(boolean head, String range, String ifRange, String ifNoneMatch, String ifModifiedSince) {
            this(head, range, ifRange, ifNoneMatch, ifModifiedSince, null);
        }

        public static Conditions of(HttpHeaders headers, boolean head) {
            ResteasyReactiveRequestContext request = CurrentRequestManager.get();
            return new Conditions(head, headers.getHeaderString("Range"), headers.getHeaderString("If-Range"),
                    headers.getHeaderString("If-None-Match"), headers.getHeaderString("If-Modified-Since"),
                    request == null ? null : request.serverRequest().unwrap(RoutingContext.class));
        }
    }

    /**
     * What to serve.
     *
     * @param ownerId whose bandwidth the bytes count against
     * @param cacheControl the {@code Cache-Control} value
     * @param attachmentName a file name for {@code Content-Disposition: attachment}, or null to play inline
     * @param metered whether the bytes count as the owner's bandwidth (and are refused when it is used up)
     * @param etag a strong entity tag known for the content (e.g. its SHA-256), or null for the store's
     * @param reprDigest a {@code Repr-Digest} header value (RFC 9530), or null
     */
    public record Item(String key, UUID ownerId, String contentType, String cacheControl, String attachmentName,
            boolean metered, String etag, String reprDigest) {

        public Item(String key, UUID ownerId, String contentType, String cacheControl, String attachmentName,
                boolean metered) {
            this(key, ownerId, contentType, cacheControl, attachmentName, metered, null, null);
        }
    }

    private final BlobStore store;
    private final BandwidthMeter meter;
    private final QuotaGate gate;
    private final CatalogConfig config;

    public MediaServer(BlobStore store, BandwidthMeter meter, QuotaGate gate, CatalogConfig config) {
        this.store = store;
        this.meter = meter;
        this.gate = gate;
        this.config = config;
    }

    public static String cacheControl(Duration maxAge, boolean immutable) {
        return "private, max-age=" + maxAge.toSeconds() + (immutable ? ", immutable" : "");
    }

    public Response serve(Item item, Conditions conditions) {
        BlobInfo blob = store.stat(item.key())
                .orElseThrow(() -> ProblemException.notFound("This media file"));
        String etag = quote(item.etag() != null ? item.etag() : blob.etag());
        Instant modified = blob.updated() == null ? null : blob.updated().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        if (notModified(conditions, etag, modified)) {
            return validators(Response.notModified(), etag, modified).header("Cache-Control", item.cacheControl())
                    .build();
        }
        if (item.metered()) {
            gate.checkServing(item.ownerId());
        }
        long length = blob.size();
        ByteRange range = rangeApplies(conditions, etag, modified) ? ByteRange.parse(conditions.range(), length)
                : ByteRange.FULL;
        if (range instanceof ByteRange.Unsatisfiable) {
            return Response.status(416)
                    .header("Content-Range", "bytes */" + length)
                    .header("Accept-Ranges", "bytes")
                    .type("application/problem+json")
                    .entity("{\"type\":\"https://clipflow.dev/problems/media/range_not_satisfiable\","
                            + "\"title\":\"Range Not Satisfiable\",\"status\":416,\"code\":\"media.range_not_satisfiable\","
                            + "\"detail\":\"The requested range is outside the file of " + length + " bytes.\"}")
                    .build();
        }
        long start = 0;
        long count = length;
        if (!conditions.head() && count > 0 && redirectable(item)) {
            Optional<URI> signed = store.signedUrl(item.key(), config.signedRedirectTtl());
            if (signed.isPresent()) {
                // the client reads from the store; it is charged what the URL was signed for (its range or the file)
                meter.record(item.ownerId(), range instanceof ByteRange.Partial partial ? partial.length() : length);
                return Response.temporaryRedirect(signed.get()).header("Cache-Control", "private, no-store").build();
            }
        }
        Response.ResponseBuilder builder;
        if (range instanceof ByteRange.Partial partial) {
            start = partial.start();
            count = partial.length();
            builder = Response.status(206)
                    .header("Content-Range", "bytes " + partial.start() + "-" + partial.end() + "/" + length);
        } else {
            builder = Response.ok();
        }
        validators(builder, etag, modified)
                .header("Accept-Ranges", "bytes")
                .header("Cache-Control", item.cacheControl())
                .header("Content-Type", item.contentType())
                .header("Content-Length", count);
        if (item.attachmentName() != null) {
            builder.header("Content-Disposition", attachment(item.attachmentName()));
        }
        if (item.reprDigest() != null) {
            builder.header("Repr-Digest", item.reprDigest());
        }
        if (!conditions.head() && count > 0) {
            Optional<Path> file = store.localFile(item.key());
            if (file.isPresent()) {
                builder.entity(new PathPart(file.get(), start, count));
                if (item.metered()) {
                    whenSent(conditions.exchange(), item.ownerId(), count);
                }
            } else {
                builder.entity(body(item, start, count));
            }
        }
        return builder.build();
    }

    /**
     * Serves text made here (a playlist rewritten or generated from the video's data) like a blob: a strong ETag
     * of its SHA-256, {@code If-None-Match} (304), HEAD; counted as the owner's bandwidth when metered. Always
     * whole (a playlist is small; a Range is ignored, as RFC 9110 allows).
     */
    public Response serveText(Item item, String text, Conditions conditions) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        String etag;
        try {
            etag = "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        if (notModified(new Conditions(conditions.head(), null, null, conditions.ifNoneMatch(), null), etag, null)) {
            return Response.notModified().header("ETag", etag).header("Cache-Control", item.cacheControl()).build();
        }
        if (item.metered()) {
            gate.checkServing(item.ownerId());
        }
        Response.ResponseBuilder builder = Response.ok().header("ETag", etag)
                .header("Cache-Control", item.cacheControl())
                .header("Content-Type", item.contentType())
                .header("Content-Length", bytes.length);
        if (!conditions.head()) {
            builder.entity(bytes);
            if (item.metered()) {
                meter.record(item.ownerId(), bytes.length);
            }
        }
        return builder.build();
    }

    /**
     * Whether the item may be answered by a redirect to a signed URL of the store (when the store
     * is not local and {@code clipflow.catalog.signed-redirects} is on): metered media, but not
     * playlists (their relative segment paths must resolve here) nor downloads (the signed URL
     * would lose their file name).
     */
    private boolean redirectable(Item item) {
        return config.signedRedirects() && item.metered() && item.attachmentName() == null
                && !MediaTypes.M3U8.equals(item.contentType()) && store.localFile(item.key()).isEmpty();
    }

    /**
     * Counts a zero-copy body once the response has ended: the whole range when the kernel took all
     * of it; when the client hung up during the transfer too (sendfile does not report how far it
     * got, so a started transfer counts in full and cannot be abused by hanging up at 99 %).
     */
    private void whenSent(RoutingContext exchange, UUID ownerId, long count) {
        if (exchange == null) {
            meter.record(ownerId, count);
            return;
        }
        exchange.addBodyEndHandler(ended -> meter.record(ownerId, count));
    }

    private StreamingOutput body(Item item, long start, long count) {
        return output -> {
            long sent = 0;
            try (InputStream in = store.open(item.key(), start, count)) {
                byte[] buffer = new byte[BUFFER];
                int read;
                while (sent < count && (read = in.read(buffer, 0, (int) Math.min(BUFFER, count - sent))) > 0) {
                    output.write(buffer, 0, read);
                    sent += read;
                }
                output.flush();
            } finally {
                if (item.metered()) {
                    meter.record(item.ownerId(), sent);
                }
            }
        };
    }

    private static boolean notModified(Conditions conditions, String etag, Instant modified) {
        if (conditions.ifNoneMatch() != null) {
            for (String candidate : conditions.ifNoneMatch().split(",")) {
                String tag = candidate.strip();
                if (tag.equals("*") || weakMatch(tag, etag)) {
                    return true;
                }
            }
            return false;
        }
        Instant since = httpDate(conditions.ifModifiedSince());
        return since != null && modified != null && !modified.isAfter(since);
    }

    /** If-Range: the range applies only if the client's validator still names this exact content. */
    private static boolean rangeApplies(Conditions conditions, String etag, Instant modified) {
        String ifRange = conditions.ifRange();
        if (conditions.range() == null || ifRange == null) {
            return true;
        }
        String value = ifRange.strip();
        if (value.startsWith("\"") || value.startsWith("W/")) {
            return !value.startsWith("W/") && value.equals(etag);
        }
        Instant date = httpDate(value);
        return date != null && date.equals(modified);
    }

    private static boolean weakMatch(String tag, String etag) {
        String a = tag.startsWith("W/") ? tag.substring(2) : tag;
        return a.equals(etag);
    }

    private static Response.ResponseBuilder validators(Response.ResponseBuilder builder, String etag, Instant modified) {
        builder.header("ETag", etag);
        if (modified != null) {
            builder.header("Last-Modified", DateTimeFormatter.RFC_1123_DATE_TIME.format(modified.atZone(ZoneOffset.UTC)));
        }
        return builder;
    }

    private static Instant httpDate(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String quote(String etag) {
        if (etag == null) {
            return "\"0\"";
        }
        return etag.startsWith("\"") ? etag : "\"" + etag.replace("\"", "") + "\"";
    }

    private static String attachment(String fileName) {
        String ascii = fileName.replaceAll("[^A-Za-z0-9._ -]", "_");
        String encoded = java.net.URLEncoder.encode(fileName, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
    }

}
