-- Originals: what video.uploaded says of the uploaded file (served by GET /api/videos/{id}/original), and
-- when catalog deleted it after the transcode (clipflow.catalog.keep-originals=false).
alter table video add column original_key varchar(1024);
alter table video add column original_sha256 varchar(64);
alter table video add column original_content_type varchar(255);
alter table video add column original_deleted_at timestamptz;

-- Captions: one WebVTT file per video and language (the file itself lives in the blob store under
-- videos/{id}/captions/{lang}.vtt); text holds the cues' words for search. The video row lists them
-- (captions: [{lang, name, sizeBytes, updatedAt}]) so that a video's JSON needs no second query.
create table caption (
    video_id   uuid not null references video (id) on delete cascade,
    lang       varchar(35) not null,
    text       text not null,
    updated_at timestamptz not null,
    primary key (video_id, lang)
);
alter table video add column captions jsonb;

-- Search covers the captions too: the distinct words of all of a video's captions, kept beside the video row so that
-- the generated search vector (one GIN index, one query) can include them.
alter table video add column captions_text text;
drop index video_search;
alter table video drop column search;
alter table video add column search tsvector generated always as (
    to_tsvector('simple', coalesce(title, '') || ' ' || coalesce(description, '') || ' '
        || coalesce(file_name, '') || ' ' || regexp_replace(coalesce(file_name, ''), '[._-]+', ' ', 'g') || ' '
        || coalesce(captions_text, ''))
) stored;
create index video_search on video using gin (search);
