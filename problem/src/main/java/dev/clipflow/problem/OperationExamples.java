package dev.clipflow.problem;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Examples for every operation of a service's OpenAPI document (called by {@link ProblemOpenApiFilter}): a request
 * example for each JSON, multipart or text body, a success example for each JSON or text answer (built from the
 * schema, with realistic values by property name and format, unless the resource gives its own with
 * {@code @ExampleObject} or {@code @Schema(example=...)}), and named problem examples on every error response with the
 * codes this operation answers (docs/problems.md). Binary bodies (video, images, tus and chunk bytes) get none: an
 * example of bytes says nothing.
 */
final class OperationExamples {

    private static final int MAX_DEPTH = 6;
    private static final String USER_ID = "7c0e4a52-3f0a-4d5e-9b7a-2f1c8e6d9a10";
    private static final String VIDEO_ID = "3b9d6f1e-8a2c-4c7b-a1e5-6d0f2b8c4e77";
    private static final String UPLOAD_ID = "5e2a7c90-1b4d-4f36-8e0c-9a3d7b6f1c25";
    private static final String JOB_ID = "9f4c2e18-6d7a-4b03-b5e9-0c1a8d2f7e64";
    private static final String TIME = "2026-12-05T10:15:30Z";

    private final OpenAPI api;

    OperationExamples(OpenAPI api) {
        this.api = api;
    }

    void addAll() {
        if (api.getPaths() == null || api.getPaths().getPathItems() == null) {
            return;
        }
        api.getPaths().getPathItems().forEach((path, item) -> item.getOperations()
                .forEach((method, operation) -> add(path, method, operation)));
    }

    private void add(String path, PathItem.HttpMethod method, Operation operation) {
        if (operation.getRequestBody() != null && operation.getRequestBody().getContent() != null) {
            examplesOf(operation.getRequestBody().getContent());
        }
        if (operation.getResponses() == null) {
            return;
        }
        operation.getResponses().getAPIResponses().forEach((status, response) -> {
            if (status.startsWith("2") && method != PathItem.HttpMethod.HEAD && response.getContent() != null) {
                examplesOf(response.getContent());
            } else if (status.startsWith("4") || status.startsWith("5")) {
                problems(response, Problems.forOperation(method.name(), path, Integer.parseInt(status), paged(operation)));
            }
        });
        if (operation.getResponses().getDefaultValue() != null) {
            problems(operation.getResponses().getDefaultValue(), Problems.forOperation(method.name(), path, 0, false));
        }
    }

    private static boolean paged(Operation operation) {
        return operation.getParameters() != null
                && operation.getParameters().stream().anyMatch(p -> "page".equals(p.getName()) || "size".equals(p.getName()));
    }

    private void examplesOf(Content content) {
        if (content.getMediaTypes() == null) {
            return;
        }
        content.getMediaTypes().forEach((type, media) -> {
            if (media.getExample() != null || (media.getExamples() != null && !media.getExamples().isEmpty())) {
                return;
            }
            String name = type.toLowerCase(Locale.ROOT);
            if (name.contains("mpegurl")) {
                media.setExample("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1400000,RESOLUTION=854x480\n480p/index.m3u8\n"
                        + "#EXT-X-STREAM-INF:BANDWIDTH=2800000,RESOLUTION=1280x720\n720p/index.m3u8\n");
            } else if (name.contains("json") || name.startsWith("multipart/") || name.startsWith("text/")) {
                Object value = value(media.getSchema(), null, 0);
                if (value != null) {
                    media.setExample(value);
                }
            }
        });
    }

    private static void problems(APIResponse response, List<Map<String, Object>> problems) {
        if (response.getContent() == null || response.getContent().getMediaTypes() == null) {
            return;
        }
        MediaType media = response.getContent().getMediaTypes().get(dev.clipflow.contracts.problem.Problem.MEDIA_TYPE);
        if (media == null || media.getExample() != null || (media.getExamples() != null && !media.getExamples().isEmpty())) {
            return;
        }
        for (Map<String, Object> problem : problems) {
            media.addExample((String) problem.get("code"), OASFactory.createExample()
                    .summary(problem.get("status") + " " + problem.get("code")).value(problem));
        }
    }

    /** A value for a schema: its own example, else one built from its type, format and the property's name. */
    private Object value(Schema schema, String property, int depth) {
        if (schema == null || depth > MAX_DEPTH) {
            return null;
        }
        if (schema.getExample() != null) {
            return schema.getExample();
        }
        if (schema.getRef() != null) {
            String name = schema.getRef().substring(schema.getRef().lastIndexOf('/') + 1);
            Schema target = api.getComponents() == null || api.getComponents().getSchemas() == null ? null
                    : api.getComponents().getSchemas().get(name);
            return value(target, property, depth + 1);
        }
        for (List<Schema> choices : java.util.Arrays.asList(schema.getAnyOf(), schema.getOneOf(), schema.getAllOf())) {
            if (choices != null) {
                for (Schema choice : choices) {
                    if (!isNull(choice)) {
                        return value(choice, property, depth + 1);
                    }
                }
            }
        }
        if (schema.getEnumeration() != null && !schema.getEnumeration().isEmpty()) {
            for (Object usual : List.of("READY", "SUCCEEDED", "COMPLETED", "ACTIVE", "PRIVATE")) {
                if (schema.getEnumeration().contains(usual)) {
                    return usual;
                }
            }
            return schema.getEnumeration().stream().filter(java.util.Objects::nonNull).findFirst().orElse(null);
        }
        Schema.SchemaType type = type(schema);
        if (type == null) {
            return schema.getProperties() != null ? object(schema, property, depth) : null;
        }
        return switch (type) {
            case OBJECT -> object(schema, property, depth);
            case ARRAY -> {
                Object item = value(schema.getItems(), singular(property), depth + 1);
                yield item == null ? List.of() : List.of(item);
            }
            case STRING -> string(schema, property);
            case INTEGER -> integer(property);
            case NUMBER -> number(property);
            case BOOLEAN -> !(property != null && property.toLowerCase(Locale.ROOT).contains("disabled"));
            case NULL -> null;
        };
    }

    private Object object(Schema schema, String parent, int depth) {
        Map<String, Object> object = new LinkedHashMap<>();
        if (schema.getProperties() != null) {
            boolean paging = schema.getProperties().containsKey("page");
            schema.getProperties().forEach((name, property) -> {
                String lower = name.toLowerCase(Locale.ROOT);
                if (lower.startsWith("failure") || lower.equals("error")) {
                    return; // null unless it failed: an example of a working resource leaves it out
                }
                boolean rendition = parent != null && parent.toLowerCase(Locale.ROOT).contains("rendition");
                Object value = paging && name.equals("size") ? Integer.valueOf(20)
                        : rendition && name.equals("name") ? "720p" : value(property, name, depth + 1);
                if (value != null) {
                    object.put(name, value);
                }
            });
        }
        return object;
    }

    private static boolean isNull(Schema schema) {
        return schema.getType() != null && schema.getType().size() == 1 && schema.getType().get(0) == Schema.SchemaType.NULL;
    }

    private static Schema.SchemaType type(Schema schema) {
        if (schema.getType() == null) {
            return null;
        }
        return schema.getType().stream().filter(t -> t != Schema.SchemaType.NULL).findFirst().orElse(null);
    }

    private static String singular(String property) {
        return property != null && property.endsWith("s") ? property.substring(0, property.length() - 1) : property;
    }

    private static Object string(Schema schema, String property) {
        String format = schema.getFormat() == null ? "" : schema.getFormat();
        String name = property == null ? "" : property.toLowerCase(Locale.ROOT);
        switch (format) {
            case "uuid":
                return name.contains("user") || name.contains("owner") ? USER_ID
                        : name.contains("upload") ? UPLOAD_ID : name.contains("job") ? JOB_ID : VIDEO_ID;
            case "date-time":
                return name.contains("expire") ? "2026-12-12T10:15:30Z" : TIME;
            case "date":
                return "2026-12-05";
            case "binary":
                return name.contains("thumbnail") ? "(the image's bytes)" : "(the video file's bytes)";
            case "uri", "url":
                return "https://clipflow.example/api/share/eyJ2IjoiM2I5ZCJ9.c2ln";
            default:
                break;
        }
        if (name.contains("email") || name.equals("upn")) {
            return "ada@example.com";
        }
        if (name.contains("password")) {
            return "correct-horse-battery-staple";
        }
        if (name.contains("token")) {
            return "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI3YzBlNGE1MiJ9.c2lnbmF0dXJl";
        }
        if (name.contains("url") || name.contains("link")) {
            String video = "https://clipflow.example/api/videos/" + VIDEO_ID;
            return name.contains("hls") ? video + "/hls/master.m3u8" : name.contains("stream") ? video + "/stream"
                    : name.contains("thumbnail") ? video + "/thumbnail" : name.contains("download") ? video + "/download"
                    : "https://clipflow.example/api/share/eyJ2IjoiM2I5ZCJ9.c2ln";
        }
        if (name.contains("filename") || name.equals("file")) {
            return "sunset.mp4";
        }
        if (name.contains("contenttype") || name.contains("mime")) {
            return "video/mp4";
        }
        if (name.equals("title")) {
            return "Sunset at the pier";
        }
        if (name.contains("description")) {
            return "Filmed from the end of the pier, 4 K downscaled.";
        }
        if (name.contains("displayname")) {
            return "Ada Lovelace";
        }
        if (name.equals("name") || name.contains("category")) {
            return "Travel";
        }
        if (name.contains("role") || name.equals("group")) {
            return "user";
        }
        if (name.contains("sha256") || name.contains("checksum") || name.contains("digest")) {
            return "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
        }
        if (name.contains("topic")) {
            return "video.uploaded";
        }
        if (name.contains("code")) {
            return "upload.not_a_video";
        }
        if (name.contains("reason") || name.contains("message") || name.contains("error")) {
            return "FFprobe found no video stream.";
        }
        if (name.contains("protocol")) {
            return "tus";
        }
        if (name.contains("rendition") || name.contains("quality") || name.contains("label")) {
            return "720p";
        }
        if (name.contains("id")) {
            return name.contains("user") ? USER_ID : VIDEO_ID;
        }
        return "string";
    }

    private static Object integer(String property) {
        String name = property == null ? "" : property.toLowerCase(Locale.ROOT);
        if (name.contains("chunksize")) {
            return 8_388_608L;
        }
        if (name.contains("bitrate") || name.contains("bandwidth")) {
            return 2_800_000;
        }
        if (name.contains("bytes") || name.contains("size")) {
            return name.contains("limit") || name.contains("max") ? 5_368_709_120L : 104_857_600L;
        }
        if (name.equals("page") || name.contains("index") || name.contains("offset") || name.contains("partition")) {
            return 0;
        }
        if (name.contains("width")) {
            return 1280;
        }
        if (name.contains("height")) {
            return 720;
        }
        if (name.contains("seconds")) {
            return 3600;
        }
        if (name.contains("percent") || name.contains("progress")) {
            return 42;
        }
        if (name.contains("attempt") || name.contains("retries")) {
            return 1;
        }
        return 1;
    }

    private static Object number(String property) {
        String name = property == null ? "" : property.toLowerCase(Locale.ROOT);
        if (name.contains("start")) {
            return 0.5;
        }
        if (name.contains("end")) {
            return 2.5;
        }
        if (name.contains("duration") || name.contains("seconds")) {
            return 12.5;
        }
        if (name.contains("percent") || name.contains("progress") || name.contains("ratio")) {
            return 42.0;
        }
        return 1.5;
    }

    /** The problems an operation answers, by status, as examples (docs/problems.md names every code). */
    static final class Problems {

        private record Rule(Pattern operation, int status, String code, String title, String detail) {
        }

        private static final List<Rule> RULES = List.of(
                // 400: what this operation checks first
                rule("POST /api/auth/register", 400, "auth.weak_password", "Bad Request", "The password must have at least 10 characters."),
                rule("(GET|POST) /api/auth/activate", 400, "auth.token_invalid", "Bad Request", "This activation link is unknown or was used already."),
                rule("POST /api/auth/password-reset/confirm", 400, "auth.token_expired", "Bad Request", "This reset link has expired; ask for a new one."),
                rule("POST /api/auth/password", 400, "auth.wrong_password", "Bad Request", "The current password is wrong."),
                rule("POST /api/tus", 400, "tus.invalid_metadata", "Bad Request", "Upload-Metadata must name the file: filename <base64>."),
                rule("(PATCH|HEAD|DELETE) /api/tus/.*", 400, "tus.invalid_header", "Bad Request", "Upload-Offset must be a non-negative integer."),
                rule("POST /api/uploads", 400, "upload.invalid_chunk_size", "Bad Request", "chunkSize must be between 1 MiB and 64 MiB."),
                rule("PUT /api/uploads/.*/chunks/.*", 400, "upload.chunk_index_out_of_range", "Bad Request", "This file has chunks 0 to 12."),
                rule("POST /api/uploads/direct", 400, "upload.file_missing", "Bad Request", "The multipart body has no 'file' part."),
                rule("POST /api/videos/.*/trim", 400, "edit.invalid_range", "Bad Request", "The end (14.0 s) is past the end of the video (12.5 s)."),
                rule("POST /api/videos/merge", 400, "edit.merge_too_few", "Bad Request", "A merge needs two or more videos."),
                rule("POST /api/videos/.*/share", 400, "share.invalid_expiry", "Bad Request", "expiresInSeconds must be between 60 and 2592000."),
                rule("PUT /api/videos/.*/captions/.*", 400, "caption.invalid", "Bad Request", "Line 6: expected a timing like 00:00:01,000 --> 00:00:02,500, found \"00:03.5 -> 00:04\"."),
                rule("PATCH /api/videos/.*", 400, "video.invalid_title", "Bad Request", "The title must not be blank."),
                rule("PUT /api/admin/users/.*", 400, "request.read_only_field", "Bad Request", "'createdAt' is read-only and differs from the stored value."),
                rule("DELETE /api/admin/(users|videos)", 400, "request.confirmation_required", "Bad Request", "Deleting many needs ?confirm=true."),
                // 401
                rule("POST /api/auth/login", 401, "auth.invalid_credentials", "Unauthorized", "The e-mail or password is wrong, or the account is not active."),
                rule("POST /api/auth/(refresh|logout)", 401, "auth.invalid_refresh_token", "Unauthorized", "The refresh token is unknown, expired or revoked."),
                // 403
                rule("POST /api/(tus|uploads|uploads/direct)", 403, "quota.storage_exceeded", "Forbidden", "This upload needs 2.1 GB but only 0.4 GB of your 5 GB remain."),
                rule("(GET|HEAD) /api/videos/.*/original", 403, "video.not_owner", "Forbidden", "Only the owner or an admin may download the original."),
                rule("(GET|HEAD) /api/(videos|share)/.*/(stream|hls|download|audio\\.m4a).*", 403, "quota.bandwidth_exceeded", "Forbidden", "This month's playback bandwidth is used up."),
                rule("(PATCH|DELETE|PUT|POST) /api/videos/.*", 403, "video.not_owner", "Forbidden", "Only the owner or an admin may change this video."),
                // 404
                rule("(GET|HEAD) /api/(videos|share)/.*/audio\\.m4a", 404, "video.no_audio", "Not Found", "This video has no audio track, so there is no audio-only download."),
                rule("[A-Z]+ /api/admin/users/.*", 404, "user.not_found", "Not Found", "User " + USER_ID + " does not exist."),
                rule("[A-Z]+ /api/admin/quota/.*", 404, "user.not_found", "Not Found", "User " + USER_ID + " does not exist."),
                rule("POST /api/admin/dead-letters/.*/.*/.*/replay", 404, "dead_letter.not_found", "Not Found", "No dead letter at video.uploaded.dlq partition 0 offset 17."),
                rule("[A-Z]+ /api/admin/dead-letters/.*", 404, "dead_letter.unknown_topic", "Not Found", "No such topic; one of video.uploaded, video.transcoded, ..."),
                rule("[A-Z]+ /api/share/.*", 404, "not_found", "Not Found", "This share link does not exist."),
                rule("[A-Z]+ /api/(tus|uploads)/.*", 404, "not_found", "Not Found", "Upload " + UPLOAD_ID + " does not exist."),
                rule("[A-Z]+ /api/jobs/.*", 404, "not_found", "Not Found", "Job " + JOB_ID + " does not exist."),
                rule("[A-Z]+ /api/categories/.*", 404, "not_found", "Not Found", "Category 4 does not exist."),
                rule("[A-Z]+ /api/.*", 404, "not_found", "Not Found", "Video " + VIDEO_ID + " does not exist."),
                // more that the default response covers, by operation
                rule("POST /api/auth/register", 0, "auth.email_taken", "Conflict", "An account with this e-mail exists."),
                rule("POST /api/admin/users", 0, "auth.email_taken", "Conflict", "An account with this e-mail exists."),
                rule("POST /api/auth/login", 0, "auth.too_many_attempts", "Too Many Requests", "Too many failed logins; try again in 60 seconds."),
                rule("POST /api/auth/refresh", 0, "auth.refresh_token_reused", "Unauthorized", "This refresh token was used already: the session is revoked."),
                rule("(PUT|DELETE) /api/admin/users/.*", 0, "user.last_admin", "Conflict", "The change would leave no active admin."),
                rule("POST /api/tus", 0, "upload.file_too_large", "Content Too Large", "The file is over the 10 GB limit per file."),
                rule("POST /api/tus", 0, "tus.version_unsupported", "Precondition Failed", "Tus-Resumable must be 1.0.0."),
                rule("PATCH /api/tus/.*", 0, "tus.offset_mismatch", "Conflict", "Upload-Offset is 0 but the server has 4194304 bytes: HEAD, then resume."),
                rule("PATCH /api/tus/.*", 0, "upload.expired", "Gone", "The upload session expired."),
                rule("POST /api/uploads", 0, "upload.too_many_sessions", "Too Many Requests", "Too many open upload sessions; finish or cancel some."),
                rule("POST /api/uploads/direct", 0, "upload.length_required", "Length Required", "A direct upload needs a Content-Length."),
                rule("PUT /api/uploads/.*/chunks/.*", 0, "upload.checksum_mismatch", "Bad Request", "The chunk does not match its Digest."),
                rule("POST /api/uploads/.*/complete", 0, "upload.incomplete", "Conflict", "Chunks 3 and 7 are missing."),
                rule("POST /api/uploads/.*/complete", 0, "upload.not_a_video", "Unprocessable Content", "FFprobe found no playable video stream."),
                rule("(POST /api/videos/.*/(share|trim)|POST /api/videos/merge)", 0, "video.not_ready", "Conflict", "The video is not READY yet."),
                rule("(POST /api/videos/.*/trim|POST /api/videos/merge)", 0, "edit.too_many_queued", "Too Many Requests", "Too many of your videos are processing; wait for some to finish."),
                rule("(GET|HEAD) /api/(videos/.*/(stream|download|hls|storyboard\\..*|audio\\.m4a)|share/.*)", 0, "video.not_ready", "Conflict", "The video is not READY yet."),
                rule("(GET|HEAD) /api/videos/.*/(storyboard\\..*|audio\\.m4a)", 409, "video.not_ready", "Conflict", "The video is not READY yet."),
                rule("GET /api/share/.*", 0, "share.expired", "Gone", "The share link has expired."),
                rule("PUT /api/videos/.*/thumbnail", 0, "video.unsupported_thumbnail", "Unsupported Media Type", "Thumbnails are JPEG or PNG."),
                rule("(GET|HEAD) /api/videos/.*/original", 410, "video.original_not_kept", "Gone", "The original of this video was deleted after transcoding: this platform keeps no originals."),
                rule("PUT /api/videos/.*/captions/.*", 0, "caption.too_large", "Content Too Large", "A caption file may have at most 524288 bytes."),
                rule("PUT /api/videos/.*/captions/.*", 0, "caption.unsupported_type", "Unsupported Media Type", "Captions are SRT (application/x-subrip) or WebVTT (text/vtt)."),
                rule("PUT /api/videos/.*/captions/.*", 0, "caption.too_many_languages", "Conflict", "A video may have captions in at most 20 languages."),
                rule("POST /api/categories", 0, "category.exists", "Conflict", "A category named Travel exists."),
                rule("DELETE /api/categories/.*", 0, "category.in_use", "Conflict", "Videos still use the category."),
                rule("POST /api/jobs/.*/retry", 0, "job.not_failed", "Conflict", "Only a FAILED job can be retried."),
                rule("POST /api/videos/.*/replace", 409, "video.replace_in_flight", "Conflict", "The video is still processing or its file is being replaced; try again once it is READY or FAILED."),
                rule("POST /api/videos/.*/replace", 0, "video.replace_owner_only", "Forbidden", "Only the owner may replace the file."),
                rule("POST /api/videos/.*/replace", 0, "quota.storage_exceeded", "Forbidden", "The new file needs 2.1 GB but only 0.4 GB of your 5 GB remain."),
                rule("POST /api/videos/.*/replace", 0, "upload.unavailable", "Service Unavailable", "Uploads cannot be opened right now; try again shortly."),
                rule("[A-Z]+ /api/(tus|uploads).*", 0, "quota.unavailable", "Service Unavailable", "The quota service could not be reached; retry."));

        private static Rule rule(String operation, int status, String code, String title, String detail) {
            return new Rule(Pattern.compile(operation), status, code, title, detail);
        }

        /** Problems for one response of one operation; status 0 is the {@code default} response. */
        static List<Map<String, Object>> forOperation(String method, String path, int status, boolean paged) {
            String operation = method + " " + path;
            List<Map<String, Object>> problems = new ArrayList<>();
            for (Rule rule : RULES) {
                if (rule.status() == status && rule.operation().matcher(operation).matches()
                        && (status == 0 || problems.isEmpty())) {
                    problems.add(problem(rule.status() == 0 ? statusOf(rule) : status, rule.code(), rule.title(), rule.detail(), path));
                }
            }
            if (problems.isEmpty() || status == 0) {
                problems.add(switch (status) {
                    case 0 -> problem(500, "internal", "Internal Server Error", "The server could not complete the request.", path);
                    case 400 -> paged ? problem(400, "request.invalid_paging", "Bad Request", "size must be between 1 and 100.", path)
                            : method.equals("GET") || method.equals("HEAD") || method.equals("DELETE")
                            ? problem(400, "request.invalid_value", "Bad Request", "A parameter has a value of the wrong type.", path)
                            : problem(400, "request.malformed_json", "Bad Request", "The request body is not valid JSON.", path);
                    case 401 -> problem(401, "auth.unauthenticated", "Unauthorized", "A valid access token is required.", path);
                    case 403 -> problem(403, "auth.forbidden", "Forbidden", "Your account is not allowed to do this.", path);
                    default -> problem(status, "http." + status, "Error", "The request was refused.", path);
                });
            }
            return problems;
        }

        private static int statusOf(Rule rule) {
            return switch (rule.title()) {
                case "Bad Request" -> 400;
                case "Unauthorized" -> 401;
                case "Forbidden" -> 403;
                case "Conflict" -> 409;
                case "Gone" -> 410;
                case "Length Required" -> 411;
                case "Precondition Failed" -> 412;
                case "Content Too Large" -> 413;
                case "Unsupported Media Type" -> 415;
                case "Unprocessable Content" -> 422;
                case "Too Many Requests" -> 429;
                case "Service Unavailable" -> 503;
                default -> throw new IllegalStateException("no status for " + rule.title());
            };
        }

        private static Map<String, Object> problem(int status, String code, String title, String detail, String path) {
            Map<String, Object> problem = new LinkedHashMap<>();
            problem.put("type", dev.clipflow.contracts.problem.Problem.TYPE_BASE + code.replace('.', '/'));
            problem.put("title", title);
            problem.put("status", status);
            problem.put("detail", detail);
            problem.put("code", code);
            problem.put("instance", path.replace("{id}", VIDEO_ID).replace("{userId}", USER_ID)
                    .replace("{uploadId}", UPLOAD_ID).replace("{jobId}", JOB_ID));
            return problem;
        }
    }
}
