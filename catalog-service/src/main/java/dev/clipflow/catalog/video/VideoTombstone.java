package dev.clipflow.catalog.video;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A deleted video id: late events for it are ignored instead of recreating the video. */
@Entity
@Table(name = "video_tombstone")
public class VideoTombstone {

    @Id
    public UUID id;

    @Column(name = "deleted_at")
    public Instant deletedAt;

    @Override
    public boolean equals(Object other) {
        return other instanceof VideoTombstone that && id != null && id.equals(that.id);
    }

    @Override
    public int hashCode() {
        return VideoTombstone.class.hashCode();
    }
}
