package dev.clipflow.catalog.video.service;

import dev.clipflow.catalog.config.CatalogConfig;
import dev.clipflow.catalog.video.Video;
import jakarta.enterprise.context.ApplicationScoped;

/** Turns videos into their JSON view with absolute URLs under the public base URL. */
@ApplicationScoped
public class VideoLinks {

    private final String base;

    public VideoLinks(CatalogConfig config) {
        String url = config.publicBaseUrl();
        this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    public VideoView view(Video video) {
        return VideoView.of(video, base + "/api/videos/" + video.id);
    }

    public VideoView sharedView(Video video, String token) {
        return VideoView.of(video, shareUrl(token));
    }

    public String shareUrl(String token) {
        return base + "/api/share/" + token;
    }
}
