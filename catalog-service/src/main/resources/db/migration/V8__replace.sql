-- Replacing a video's file (POST /api/videos/{id}/replace): the pending replacement's media id (its upload and
-- transcode run under it; events of that id update the video, never create one), what its video.uploaded said, and why
-- it failed. After the switch the video plays media_of = that id; previous_root is what it played before, still served
-- (HLS under its root) until previous_root_until, and media_retirement deletes that root's blobs at due_at unless a
-- live video still plays them.
alter table video add column replacing uuid;
alter table video add column replace_started_at timestamptz;
alter table video add column replace_size_bytes bigint;
alter table video add column replace_sha256 varchar(64);
alter table video add column replace_content_type varchar(255);
alter table video add column replace_failure_reason text;
alter table video add column previous_root uuid;
alter table video add column previous_root_until timestamptz;
create unique index video_replacing on video (replacing) where replacing is not null;

create table media_retirement (
    root     uuid primary key,
    video_id uuid not null,
    due_at   timestamptz not null
);
create index media_retirement_due on media_retirement (due_at);
