package dev.clipflow.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clipflow.contracts.events.EventJson;
import dev.clipflow.system.OpenApi.Operation;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

import static dev.clipflow.system.Videos.url;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every operation with a request body (from the services' OpenAPI documents), sent what clients get wrong:
 * malformed JSON, an empty body, JSON of the wrong shape, wrong field types, missing required fields,
 * over-long strings, negative and overflowing numbers, the wrong Content-Type; octet-stream, tus,
 * multipart and image bodies get garbage and wrong content types. The answer is always a 4xx
 * {@code application/problem+json} with {@code status} and {@code title}, never a 5xx, and nothing
 * changes: the owner's quota, sessions, videos and the categories are the same afterwards.
 */
@ExtendWith(Stack.class)
class BadInputSweepTest {

    /**
     * Variants that may succeed: a body whose schema requires nothing may be left out (empty or JSON
     * {@code null}) and means "all defaults": logout (the refresh token may come from the cookie), a share
     * link of the default lifetime, a commit of the reserved size.
     */
    private static boolean mayBeAccepted(Attempt attempt) {
        return attempt.op().requiredProperties().isEmpty()
                && List.of("empty body", "JSON null").contains(attempt.variant());
    }

    private static Users.User admin;
    private static Owned owned;

    @BeforeAll
    static void owner(@TempDir Path dir) {
        admin = Users.admin();
        owned = Owned.create(Users.signUp("Careless"), dir);
    }

    record Attempt(Operation op, String variant, String contentType, byte[] body, Map<String, String> headers,
            Function<Operation, String> url) {
        String name() {
            return op.signature() + " " + variant;
        }
    }

    @Test
    void jsonAndFormBodiesRefuseBadInputWithAProblem() {
        Owned.State before = owned.state();
        List<Attempt> attempts = new ArrayList<>();
        for (Operation op : OpenApi.all()) {
            if (op.jsonBody()) {
                attempts.addAll(jsonAttempts(op));
            } else if ("application/x-www-form-urlencoded".equals(op.bodyType())) {
                attempts.addAll(formAttempts(op));
            }
        }
        assertThat(attempts).hasSizeGreaterThan(200);
        assertThat(run(attempts)).isEmpty();
        owned.assertUnchanged(before, "the owner's resources after the sweep");
    }

    @Test
    void binaryTusAndMultipartBodiesRefuseGarbageWithAProblem() {
        Owned.State before = owned.state();
        List<Attempt> attempts = new ArrayList<>();
        List<String> uncovered = new ArrayList<>();
        for (Operation op : OpenApi.all()) {
            if (op.bodyType() == null || op.jsonBody() || op.bodyType().contains("form-urlencoded")) {
                continue;
            }
            List<Attempt> forOp = binaryAttempts(op);
            if (forOp.isEmpty()) {
                uncovered.add(op.toString());
            }
            attempts.addAll(forOp);
        }
        assertThat(uncovered).as("binary operations this sweep has no garbage for (add them)").isEmpty();
        assertThat(run(attempts)).isEmpty();
        owned.assertUnchanged(before, "the owner's resources after the sweep");
    }

    /**
     * Path and query parameters of the wrong shape (not a UUID, not a number, negative, overflowing, huge,
     * unknown enum values): never a 5xx, and a 4xx is a problem. A 2xx is fine here (a lenient filter, a
     * capped page size). Bulk deletes without a path parameter are left out: on a shared stack a bug there
     * would wipe every user's data, and SecuritySweepTest covers who may call them.
     */
    @Test
    void parametersOfTheWrongShapeNeverFailWithA5xx() {
        Owned.State before = owned.state();
        List<Attempt> attempts = new ArrayList<>();
        for (Operation op : OpenApi.all()) {
            if (op.method().equals("DELETE") && !op.hasPathParameters()) {
                continue;
            }
            for (String parameter : op.pathParameters()) {
                for (String junk : List.of("not-a-uuid", "-1", "99999999999999999999999", "x".repeat(3000), "..")) {
                    if (junk.equals("..") && op.method().equals("DELETE") && op.path().endsWith("{" + parameter + "}")) {
                        // the client resolves the dot segment (RFC 3986): DELETE /a/{id}/b/.. is DELETE /a/{id},
                        // which would delete the owner's resource itself, not send junk to this operation
                        continue;
                    }
                    attempts.add(new Attempt(op, "path " + parameter + "=" + abbreviate(junk), null, null, Map.of(),
                            o -> o.url(name -> name.equals(parameter) ? junk : owned.parameter(o, name))));
                }
            }
            for (Map.Entry<String, JsonNode> parameter : op.queryParameters().entrySet()) {
                String type = parameter.getValue().path("type").asText("string");
                List<String> junks = switch (type) {
                    case "integer", "number" -> List.of("-1", "abc", "99999999999999999999999", "1e400");
                    case "boolean" -> List.of("maybe");
                    // 3,000 characters: longer request lines meet the gateway's and Quarkus' line limits first (414
                    // from nginx as text/html, from Vert.x with no body: outside what the services can map)
                    default -> List.of("not-a-uuid", "NOT_A_VALUE", "x".repeat(3_000));
                };
                for (String junk : junks) {
                    String url = op.url(name -> owned.parameter(op, name)) + "?" + parameter.getKey() + "=" + junk;
                    attempts.add(new Attempt(op, "query " + parameter.getKey() + "=" + abbreviate(junk), null, null,
                            Map.of(), o -> url));
                }
            }
        }
        assertThat(attempts).hasSizeGreaterThan(100);
        assertThat(run(attempts, true)).isEmpty();
        owned.assertUnchanged(before, "the owner's resources after the sweep");
    }

    /**
     * Every list operation asked for a page whose first row lies beyond 2^31-1 ({@code page x size} overflowed
     * the offset: {@code GET /api/videos?page=21474837&size=100} answered 500 through the gateway): a 4xx
     * problem, strictly.
     */
    @Test
    void aPageBeyondTheLastPossibleRowIsA4xx() {
        List<Attempt> attempts = new ArrayList<>();
        for (Operation op : OpenApi.all()) {
            if (op.method().equals("GET") && op.queryParameters().containsKey("page")
                    && op.queryParameters().containsKey("size")) {
                String url = op.url(name -> owned.parameter(op, name)) + "?page=21474837&size=100";
                attempts.add(new Attempt(op, "page=21474837&size=100", null, null, Map.of(), o -> url));
            }
        }
        assertThat(attempts).extracting(a -> a.op().signature()).contains("GET /api/videos");
        assertThat(run(attempts)).isEmpty();
    }

    private static String abbreviate(String value) {
        return value.length() > 30 ? value.substring(0, 10) + "...(" + value.length() + ")" : value;
    }

    // ------------------------------------------------------------------ JSON

    private static List<Attempt> jsonAttempts(Operation op) {
        List<Attempt> attempts = new ArrayList<>();
        String type = op.bodyType();
        attempts.add(attempt(op, "malformed JSON", type, "{\"a\":"));
        attempts.add(attempt(op, "truncated JSON", type, chop(Samples.valid(op, owned).toString())));
        attempts.add(attempt(op, "empty body", type, ""));
        attempts.add(attempt(op, "JSON array", type, "[]"));
        attempts.add(attempt(op, "JSON string", type, "\"text\""));
        attempts.add(attempt(op, "JSON number", type, "42"));
        attempts.add(attempt(op, "JSON true", type, "true"));
        attempts.add(attempt(op, "JSON null", type, "null"));
        attempts.add(attempt(op, "text/plain", "text/plain", Samples.valid(op, owned).toString()));
        attempts.add(attempt(op, "application/xml", "application/xml", "<body><name>x</name></body>"));
        attempts.add(attempt(op, "octet-stream", "application/octet-stream", Samples.valid(op, owned).toString()));
        for (String required : op.requiredProperties()) {
            ObjectNode body = Samples.valid(op, owned);
            body.remove(required);
            attempts.add(attempt(op, "missing " + required, type, body.toString()));
        }
        Set<String> properties = new LinkedHashSet<>(op.properties().keySet());
        Samples.valid(op, owned).fieldNames().forEachRemaining(properties::add);
        for (String property : properties) {
            JsonNode schema = op.properties().getOrDefault(property, OpenApi.object());
            for (Map.Entry<String, String> bad : badValues(op, schema).entrySet()) {
                ObjectNode body = Samples.valid(op, owned);
                body.put(property, "@@RAW@@");
                attempts.add(attempt(op, bad.getKey() + " " + property, type,
                        body.toString().replace("\"@@RAW@@\"", bad.getValue())));
            }
        }
        if (op.properties().isEmpty() && op.requiredProperties().isEmpty()) {
            throw new IllegalStateException(op + " documents no body properties: the sweep cannot vary them");
        }
        return attempts;
    }

    /** Variant name -> raw JSON value, by the property's schema. */
    private static Map<String, String> badValues(Operation op, JsonNode schema) {
        Map<String, String> values = new LinkedHashMap<>();
        String type = schema.path("type").asText("string");
        switch (type) {
            case "integer" -> {
                values.put("string for number", "\"abc\"");
                values.put("negative", "-1");
                values.put("overflowing", "99999999999999999999999999");
            }
            case "number" -> {
                values.put("string for number", "\"abc\"");
                values.put("negative", "-1");
                values.put("overflowing", "1e400");
            }
            case "boolean" -> values.put("string for boolean", "\"abc\"");
            case "array" -> {
                values.put("string for array", "\"abc\"");
                values.put("array of objects", "[{\"a\":1}]");
            }
            case "object" -> values.put("string for object", "\"abc\"");
            default -> {
                values.put("object for string", "{\"a\":1}");
                values.put("array for string", "[\"a\"]");
                int max = schema.path("maxLength").asInt(100_000);
                values.put("huge", "\"" + "x".repeat(Math.max(max + 1, 100_000)) + "\"");
                if (schema.has("enum")) {
                    values.put("unknown enum", "\"NOT_A_VALUE\"");
                }
                if ("uuid".equals(schema.path("format").asText())) {
                    values.put("not a UUID", "\"not-a-uuid\"");
                }
                if ("date-time".equals(schema.path("format").asText())) {
                    values.put("not a time", "\"yesterday\"");
                }
                if (schema.path("minLength").asInt(0) > 0 || "\\S".equals(schema.path("pattern").asText())) {
                    values.put("blank", "\"   \"");
                }
            }
        }
        return values;
    }

    private static List<Attempt> formAttempts(Operation op) {
        String form = "application/x-www-form-urlencoded";
        return List.of(
                attempt(op, "empty form", form, ""),
                attempt(op, "garbage form", form, "%%%&&&=%zz"),
                attempt(op, "JSON in a form", form, "{\"grant_type\":\"client_credentials\"}"),
                attempt(op, "JSON content type", "application/json", "{\"grant_type\":\"client_credentials\"}"),
                attempt(op, "unknown grant", form, "grant_type=password&client_id=x&client_secret=y"),
                attempt(op, "huge client id", form, "grant_type=client_credentials&client_id=" + "x".repeat(100_000)
                        + "&client_secret=y"));
    }

    // ------------------------------------------------------------------ binary, tus, multipart

    private static List<Attempt> binaryAttempts(Operation op) {
        List<Attempt> attempts = new ArrayList<>();
        byte[] garbage = "this is not what you think it is".getBytes(StandardCharsets.UTF_8);
        byte[] thousand = new byte[1000];
        switch (op.signature()) {
            case "PUT /api/uploads/{uploadId}/chunks/{index}" -> {
                String octets = "application/octet-stream";
                attempts.add(attempt(op, "short chunk", octets, garbage));
                attempts.add(attempt(op, "long chunk", octets, new byte[2000]));
                attempts.add(attempt(op, "empty chunk", octets, new byte[0]));
                attempts.add(attempt(op, "JSON content type", "application/json", "{}".getBytes()));
                attempts.add(new Attempt(op, "digest mismatch", octets, thousand,
                        Map.of("Digest", "sha-256=" + Base64.getEncoder().encodeToString(new byte[32])), null));
                attempts.add(new Attempt(op, "garbage digest", octets, thousand, Map.of("Digest", "sha-256=%%%"), null));
                attempts.add(new Attempt(op, "Content-MD5 mismatch", octets, thousand,
                        Map.of("Content-MD5", Base64.getEncoder().encodeToString(new byte[16])), null));
                for (String index : List.of("1", "-1", "99999999999", "abc")) {
                    attempts.add(new Attempt(op, "index " + index, octets, thousand, Map.of(),
                            o -> o.url(name -> name.equals("index") ? index : owned.parameter(o, name))));
                }
            }
            case "POST /api/tus" -> {
                Map<String, String> base = Map.of("Tus-Resumable", "1.0.0");
                attempts.add(new Attempt(op, "no Upload-Length", null, null, base, null));
                for (String length : List.of("-1", "abc", "99999999999999999999999", "1125899906842624")) {
                    attempts.add(new Attempt(op, "Upload-Length " + length, null, null,
                            with(base, "Upload-Length", length), null));
                }
                attempts.add(new Attempt(op, "metadata not base64", null, null,
                        with(with(base, "Upload-Length", "1000"), "Upload-Metadata", "filename !!!not-base64!!!"), null));
                attempts.add(new Attempt(op, "unsupported Tus-Resumable", null, null,
                        Map.of("Tus-Resumable", "0.2.0", "Upload-Length", "1000"), null));
                attempts.add(new Attempt(op, "creation-with-upload, wrong content type", "text/plain", garbage,
                        with(base, "Upload-Length", "1000"), null));
                attempts.add(new Attempt(op, "creation-with-upload, body over the length", "application/offset+octet-stream",
                        new byte[2000], with(base, "Upload-Length", "1000"), null));
            }
            case "PATCH /api/tus/{uploadId}" -> {
                Map<String, String> base = Map.of("Tus-Resumable", "1.0.0", "Upload-Offset", "0");
                String octets = "application/offset+octet-stream";
                attempts.add(new Attempt(op, "wrong content type", "application/octet-stream", garbage, base, null));
                attempts.add(new Attempt(op, "no Upload-Offset", octets, garbage, Map.of("Tus-Resumable", "1.0.0"), null));
                for (String offset : List.of("5", "-1", "abc", "99999999999999999999999")) {
                    attempts.add(new Attempt(op, "Upload-Offset " + offset, octets, garbage,
                            with(base, "Upload-Offset", offset), null));
                }
                attempts.add(new Attempt(op, "body over the length", octets, new byte[2000], base, null));
                attempts.add(new Attempt(op, "checksum mismatch", octets, garbage,
                        with(base, "Upload-Checksum", "sha1 " + Base64.getEncoder().encodeToString(new byte[20])), null));
                attempts.add(new Attempt(op, "unknown checksum algorithm", octets, garbage,
                        with(base, "Upload-Checksum", "crc99 AAAA"), null));
                attempts.add(new Attempt(op, "garbage checksum", octets, garbage,
                        with(base, "Upload-Checksum", "sha1"), null));
            }
            case "POST /api/uploads/direct" -> {
                String boundary = "sweep" + Videos.unique();
                String multipart = "multipart/form-data; boundary=" + boundary;
                attempts.add(attempt(op, "garbage multipart", multipart, garbage));
                attempts.add(attempt(op, "empty multipart", multipart, new byte[0]));
                attempts.add(attempt(op, "multipart without boundary", "multipart/form-data", garbage));
                attempts.add(attempt(op, "no file part", multipart, ("--" + boundary + "\r\n"
                        + "Content-Disposition: form-data; name=\"title\"\r\n\r\nNo file\r\n--" + boundary + "--\r\n")
                        .getBytes(StandardCharsets.UTF_8)));
                attempts.add(attempt(op, "empty file part", multipart, ("--" + boundary + "\r\n"
                        + "Content-Disposition: form-data; name=\"file\"; filename=\"" + Videos.unique() + ".mp4\"\r\n"
                        + "Content-Type: video/mp4\r\n\r\n\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8)));
                attempts.add(attempt(op, "JSON content type", "application/json", "{\"file\":\"x\"}".getBytes()));
                attempts.add(attempt(op, "octet-stream", "application/octet-stream", garbage));
            }
            case "PUT /api/videos/{id}/thumbnail" -> {
                attempts.add(attempt(op, "garbage JPEG", "image/jpeg", garbage));
                attempts.add(attempt(op, "garbage PNG", "image/png", garbage));
                attempts.add(attempt(op, "empty image", "image/jpeg", new byte[0]));
                attempts.add(attempt(op, "text/plain", "text/plain", owned.thumbnail()));
                attempts.add(attempt(op, "image/gif", "image/gif", owned.thumbnail()));
                attempts.add(attempt(op, "over 2 MB", "image/jpeg", new byte[2 * 1024 * 1024 + 1]));
            }
            case "PUT /api/videos/{id}/captions/{lang}" -> {
                byte[] srt = "1\n00:00:01,000 --> 00:00:02,000\nHi\n".getBytes(StandardCharsets.UTF_8);
                attempts.add(attempt(op, "garbage SRT", "application/x-subrip", garbage));
                attempts.add(attempt(op, "garbage WebVTT", "text/vtt", garbage));
                attempts.add(attempt(op, "SRT declared as WebVTT", "text/vtt", srt));
                attempts.add(attempt(op, "empty file", "application/x-subrip", new byte[0]));
                attempts.add(attempt(op, "not UTF-8", "application/x-subrip", new byte[] {'1', '\n', (byte) 0xFF}));
                attempts.add(attempt(op, "image/png", "image/png", srt));
                attempts.add(attempt(op, "over 512 KiB", "text/vtt", new byte[512 * 1024 + 1]));
                for (String lang : List.of("en_US", "e", "123", "english-language")) {
                    attempts.add(new Attempt(op, "lang " + lang, "application/x-subrip", srt, Map.of(),
                            o -> o.url(name -> name.equals("lang") ? lang : owned.parameter(o, name))));
                }
            }
            default -> {
                // a new binary operation: reported as uncovered until it gets its garbage here
            }
        }
        return attempts;
    }

    private static Map<String, String> with(Map<String, String> headers, String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return copy;
    }

    // ------------------------------------------------------------------ running and judging

    private static Attempt attempt(Operation op, String variant, String contentType, String body) {
        return attempt(op, variant, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    private static Attempt attempt(Operation op, String variant, String contentType, byte[] body) {
        return new Attempt(op, variant, contentType, body, Map.of(), null);
    }

    private static String chop(String json) {
        return json.substring(0, json.length() - 1);
    }

    private static List<String> run(List<Attempt> attempts) {
        return run(attempts, false);
    }

    /** Runs the attempts four at a time; returns what went wrong ({@code lenient}: a 2xx or 3xx is fine too). */
    private static List<String> run(List<Attempt> attempts, boolean lenient) {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (Attempt attempt : attempts) {
                results.add(pool.submit(() -> judge(attempt, lenient)));
            }
            List<String> failures = Collections.synchronizedList(new ArrayList<>());
            for (Future<String> result : results) {
                String failure = result.get();
                if (failure != null) {
                    failures.add(failure);
                }
            }
            return failures;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            pool.shutdownNow();
        }
    }

    private static String judge(Attempt attempt, boolean lenient) {
        Operation op = attempt.op();
        RequestSpecification request = given().redirects().follow(false);
        if (op.adminOnly()) {
            request = request.auth().oauth2(admin.accessToken());
        } else if (op.secured()) {
            request = request.auth().oauth2(owned.user().accessToken());
        }
        request = request.headers(attempt.headers());
        if (attempt.contentType() != null) {
            request = request.contentType(attempt.contentType());
        }
        if (attempt.body() != null && String.valueOf(attempt.contentType()).contains("form-urlencoded")) {
            request = request.body(new String(attempt.body(), StandardCharsets.UTF_8)); // REST Assured encodes forms from text only
        } else if (attempt.body() != null) {
            request = request.body(attempt.body());
        }
        String url = attempt.url() != null ? attempt.url().apply(op) : op.url(name -> name.equals("reservationId")
                ? UUID.randomUUID().toString() // never the owner's real reservation: a valid commit would charge it
                : owned.parameter(op, name));
        Response response = request.request(op.method(), url);
        int status = response.statusCode();
        if (status >= 200 && status < 300 && mayBeAccepted(attempt) || lenient && status < 400) {
            return null;
        }
        String body = response.asString();
        String problem = problemError(status, response.contentType(), op.method().equals("HEAD") ? null : body);
        return problem == null ? null
                : attempt.name() + " -> " + status + " " + response.contentType() + ": " + problem + " "
                        + body.substring(0, Math.min(160, body.length()));
    }

    /** Null when the answer is a 4xx problem+json with a matching {@code status} and a {@code title} (body null: HEAD). */
    static String problemError(int status, String contentType, String body) {
        if (status < 400 || status >= 500) {
            return "not a 4xx";
        }
        if (contentType == null || !contentType.startsWith("application/problem+json")) {
            return "not problem+json";
        }
        if (body == null) {
            return null;
        }
        try {
            JsonNode problem = EventJson.mapper().readTree(body);
            if (problem.path("status").asInt() != status || problem.path("title").asText().isBlank()) {
                return "no status/title";
            }
        } catch (Exception e) {
            return "body is not JSON";
        }
        return null;
    }
}
