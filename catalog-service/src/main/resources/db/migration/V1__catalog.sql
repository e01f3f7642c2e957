-- Categories a video may carry; names are unique case-insensitively.
create table category (
    id         uuid primary key,
    name       varchar(60) not null,
    created_at timestamptz not null default now()
);
create unique index category_name_key on category (lower(name));

insert into category (id, name) values
    ('00000000-0000-4000-8000-000000000001', 'Drama'),
    ('00000000-0000-4000-8000-000000000002', 'Romance'),
    ('00000000-0000-4000-8000-000000000003', 'Action'),
    ('00000000-0000-4000-8000-000000000004', 'Documentary'),
    ('00000000-0000-4000-8000-000000000005', 'Tutorial'),
    ('00000000-0000-4000-8000-000000000006', 'Vlog');

-- The catalog's view of a video, built from the upload/transcode events and the owner's edits.
create table video (
    id                     uuid primary key,
    owner_id               uuid not null,
    title                  varchar(200) not null,
    description            varchar(5000),
    category               varchar(60),
    visibility             varchar(16) not null default 'PRIVATE',
    file_name              varchar(255),
    size_bytes             bigint not null default 0,
    status                 varchar(16) not null,
    progress               int not null default 0,
    duration_seconds       double precision,
    width                  int,
    height                 int,
    renditions             jsonb,
    mp4_key                varchar(1024),
    mp4_size_bytes         bigint,
    hls_master_key         varchar(1024),
    thumbnail_key          varchar(1024),
    thumbnail_content_type varchar(40),
    failure_reason         varchar(2000),
    created_at             timestamptz not null,
    updated_at             timestamptz not null,
    -- Full-text search over title, description and file name ('simple': no stemming, so prefix
    -- queries behave predictably in every language); file names split at . _ - as well.
    search                 tsvector generated always as (
        to_tsvector('simple', coalesce(title, '') || ' ' || coalesce(description, '') || ' '
            || coalesce(file_name, '') || ' ' || regexp_replace(coalesce(file_name, ''), '[._-]+', ' ', 'g'))
    ) stored
);
create index video_search on video using gin (search);
create index video_owner_created on video (owner_id, created_at desc);
create index video_platform_created on video (visibility, status, created_at desc);

-- Deleted video ids, so a late event (e.g. video.transcoded after a delete) cannot resurrect one.
create table video_tombstone (
    id         uuid primary key,
    deleted_at timestamptz not null default now()
);
