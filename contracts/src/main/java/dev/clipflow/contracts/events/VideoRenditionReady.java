package dev.clipflow.contracts.events;

import java.util.List;
import java.util.UUID;

/**
 * {@code video.rendition_ready}: one HLS rendition of a video is stored and playable while the rest of
 * the ladder is still being encoded (lowest rung first). Sent once per rendition that becomes ready
 * before the whole ladder; {@code video.transcoded} still follows with every output. {@code ready} names
 * every rendition of this job ready so far (this one included), {@code ladder} every rendition the job
 * will make, lowest first. The fields of {@code rendition} are what a master playlist needs to list it.
 */
public record VideoRenditionReady(UUID jobId, UUID videoId, UUID ownerId, Rendition rendition, List<String> ready,
        List<String> ladder) {

    /**
     * @param bandwidth peak bitrate in bit/s (BANDWIDTH of the master playlist)
     * @param averageBandwidth mean bitrate in bit/s (AVERAGE-BANDWIDTH)
     * @param codecs RFC 6381 codecs string (CODECS)
     * @param frameRate frames per second (FRAME-RATE)
     */
    public record Rendition(String name, int width, int height, long bandwidth, long averageBandwidth,
            String codecs, double frameRate, String playlistKey) {
    }
}
