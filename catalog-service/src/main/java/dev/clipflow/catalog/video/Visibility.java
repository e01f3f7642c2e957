package dev.clipflow.catalog.video;

/** PRIVATE: the owner (and admins) only. PLATFORM: every signed-in user may list and watch it. */
public enum Visibility {
    PRIVATE, PLATFORM
}
