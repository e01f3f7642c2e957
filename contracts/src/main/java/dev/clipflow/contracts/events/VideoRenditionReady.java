package dev.clipflow.contracts.events;

import java.util.List;
import java.util.UUID;

/**
 * {@code video.rendition_ready}: one HLS rendition of a video plays while the ladder is still being
 * encoded: its first segments and its growing media playlist (an EVENT playlist naming only stored
 * segments) are stored. Sent once per rendition and attempt, lowest rung first; {@code video.transcoded}
 * still follows with every output (then every playlist is the final VOD one). {@code ready} names every
 * rendition of this job playing so far (this one included), {@code ladder} every rendition the job will
 * make, lowest first. The fields of {@code rendition} are what a master playlist needs to list it (the
 * bitrates measured on the segments so far).
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
