package dev.clipflow.catalog.video.service;

import java.util.UUID;

/** Who is asking: the signed-in user's id and whether they are an admin. */
public record Caller(UUID id, boolean admin) {
}
