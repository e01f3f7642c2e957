package dev.clipflow.transcode.ladder;

/**
 * One rendition of the HLS ladder.
 *
 * @param name {@code <short edge>p}, also the folder of its playlist ({@code 720p/index.m3u8})
 * @param width even output width
 * @param height even output height
 * @param videoKbps the bitrate cap of its video
 */
public record Rung(String name, int width, int height, int videoKbps) {
}
