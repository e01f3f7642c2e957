package dev.clipflow.catalog.caption;

import dev.clipflow.catalog.config.CatalogConfig;
import dev.clipflow.catalog.video.Video;
import dev.clipflow.catalog.video.service.BlobCleanup;
import dev.clipflow.catalog.video.service.Caller;
import dev.clipflow.catalog.video.service.VideoAccess;
import dev.clipflow.contracts.events.Topics;
import dev.clipflow.contracts.events.VideoStored;
import dev.clipflow.contracts.problem.Problem;
import dev.clipflow.contracts.problem.ProblemException;
import dev.clipflow.outbox.Outbox;
import dev.clipflow.storage.BlobKeys;
import dev.clipflow.storage.BlobStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IllformedLocaleException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * A video's captions: the owner (or an admin) puts an SRT or WebVTT file per language, stored as WebVTT at
 * {@code videos/{id}/captions/{lang}.vtt} (so deleting the video deletes them), its words searchable with the
 * title and description; {@code video.stored} (kind {@code captions}, all languages together, through the
 * outbox with the row change) tells quota-service their size.
 */
@ApplicationScoped
public class CaptionService {

    private static final Set<String> ISO_639_1 = Set.of(Locale.getISOLanguages());

    private final VideoAccess access;
    private final CaptionRepository captions;
    private final BlobStore store;
    private final Outbox outbox;
    private final CatalogConfig config;
    private final Event<BlobCleanup.Files> cleanup;

    public CaptionService(VideoAccess access, CaptionRepository captions, BlobStore store, Outbox outbox,
            CatalogConfig config, Event<BlobCleanup.Files> cleanup) {
        this.cleanup = cleanup;
        this.access = access;
        this.captions = captions;
        this.store = store;
        this.outbox = outbox;
        this.config = config;
    }

    /** The blob key of a video's caption file. */
    public static String key(UUID videoId, String lang) {
        return BlobKeys.videoPrefix(videoId) + "captions/" + lang + ".vtt";
    }

    /**
     * A well-formed BCP 47 tag (JDK's {@code Locale.Builder}) whose language is an ISO 639-1 code or a three-letter
     * one, in its canonical case ({@code en-us} → {@code en-US}); 400 otherwise.
     */
    public static String language(String tag) {
        try {
            if (tag == null || tag.isBlank() || tag.length() > 35) {
                throw new IllformedLocaleException("empty or too long");
            }
            Locale locale = new Locale.Builder().setLanguageTag(tag).build();
            String language = locale.getLanguage();
            // well-formed is not enough: 4-8 letter language subtags are reserved (none is registered), a
            // two-letter one must be an ISO 639-1 code
            if (language.length() == 2 ? !ISO_639_1.contains(language) : language.length() != 3) {
                throw new IllformedLocaleException("unknown language " + language);
            }
            return locale.toLanguageTag();
        } catch (IllformedLocaleException e) {
            throw ProblemException.badRequest("caption.invalid_language",
                    "\"" + (tag == null ? "" : tag) + "\" is not a BCP 47 language tag (e.g. en, pt-BR, zh-Hant).");
        }
    }

    /** The caption track of a video the caller may read, or 404. */
    public Video.CaptionTrack track(Video video, String lang) {
        String tag = language(lang);
        return (video.captions == null ? List.<Video.CaptionTrack>of() : video.captions).stream()
                .filter(c -> c.lang().equals(tag)).findFirst()
                .orElseThrow(() -> ProblemException.notFound("Captions in " + tag + " of this video"));
    }

    @Transactional
    public Put put(UUID videoId, Caller caller, String lang, String contentType, byte[] body) {
        Video video = access.changeable(videoId, caller);
        String tag = language(lang);
        if (body == null || body.length == 0) {
            throw ProblemException.badRequest("caption.invalid", "The caption file is empty.");
        }
        if (body.length > config.captions().maxBytes()) {
            throw new ProblemException(Problem.of(413, "caption.too_large", "Payload Too Large",
                    "A caption file may have at most " + config.captions().maxBytes() + " bytes."));
        }
        if (!CaptionFormat.acceptable(contentType)) {
            throw new ProblemException(Problem.of(415, "caption.unsupported_type", "Unsupported Media Type",
                    "Captions are SRT (application/x-subrip) or WebVTT (text/vtt)."));
        }
        CaptionFormat.Parsed parsed;
        try {
            parsed = CaptionFormat.parse(body, contentType);
        } catch (CaptionFormat.Invalid e) {
            throw new ProblemException(Problem.of(400, "caption.invalid", "Bad Request", e.getMessage())
                    .with("line", e.line()));
        }
        List<Video.CaptionTrack> tracks = new ArrayList<>(video.captions == null ? List.of() : video.captions);
        boolean replaced = tracks.removeIf(c -> c.lang().equals(tag));
        if (!replaced && tracks.size() >= config.captions().maxLanguages()) {
            throw ProblemException.conflict("caption.too_many_languages",
                    "A video may have captions in at most " + config.captions().maxLanguages() + " languages.");
        }
        byte[] vtt = parsed.vtt().getBytes(StandardCharsets.UTF_8);
        store.put(key(video.id, tag), new ByteArrayInputStream(vtt), vtt.length, "text/vtt");
        tracks.add(new Video.CaptionTrack(tag, name(tag), vtt.length));
        tracks.sort(Comparator.comparing(Video.CaptionTrack::lang));
        Instant now = Instant.now();
        changed(video, tracks, now);
        captions.put(video.id, tag, parsed.words(), now);
        return new Put(video, !replaced);
    }

    /** The outcome of a put: the video, and whether the language is new to it. */
    public record Put(Video video, boolean created) {
    }

    @Transactional
    public void delete(UUID videoId, Caller caller, String lang) {
        Video video = access.changeable(videoId, caller);
        String tag = language(lang);
        List<Video.CaptionTrack> tracks = new ArrayList<>(video.captions == null ? List.of() : video.captions);
        if (!tracks.removeIf(c -> c.lang().equals(tag))) {
            throw ProblemException.notFound("Captions in " + tag + " of this video");
        }
        Instant now = Instant.now();
        changed(video, tracks, now);
        captions.delete(video.id, tag);
        cleanup.fire(new BlobCleanup.Files("captions " + tag + " of video " + video.id, List.of(key(video.id, tag))));
    }

    private void changed(Video video, List<Video.CaptionTrack> tracks, Instant now) {
        video.captions = tracks.isEmpty() ? null : List.copyOf(tracks);
        video.updatedAt = now;
        outbox.publish(Topics.VIDEO_STORED, video.id, new VideoStored(video.id, video.ownerId, VideoStored.CAPTIONS,
                tracks.stream().mapToLong(Video.CaptionTrack::sizeBytes).sum(), now));
    }

    /** The name players show: the language's English name ({@code pt-BR} → {@code Portuguese (Brazil)}). */
    static String name(String tag) {
        String name = Locale.forLanguageTag(tag).getDisplayName(Locale.ENGLISH);
        return name.isBlank() ? tag : name.replace("\"", "'");
    }
}
