-- The media ids of replacement uploads (POST /api/videos/{id}/replace), from video.uploaded's `replaces`: the events
-- of such an id speak of the video it replaces, so webhooks name that video (docs/api.md "Webhooks").
create table replacement_media (
    media_id   uuid primary key,
    video_id   uuid not null,
    created_at timestamptz not null default now()
);
