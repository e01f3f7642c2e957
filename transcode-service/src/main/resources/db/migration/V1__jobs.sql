-- Transcode jobs: the row is the source of truth. Consumers insert QUEUED rows and commit their
-- offsets; workers claim rows with FOR UPDATE SKIP LOCKED and hold them through a lease that a
-- heartbeat renews. A lease that runs out (crash, kill -9, lost network) makes the job claimable again.
create table transcode_job (
    id               uuid primary key,
    type             varchar(16)  not null,
    status           varchar(16)  not null,
    progress         int          not null default 0,
    video_id         uuid         not null,
    source_video_ids varchar(2000) not null default '',
    owner_id         uuid         not null,
    params           text,
    error            varchar(2000),
    attempts         int          not null default 0,
    cancelled        boolean      not null default false,
    lease_owner      varchar(200),
    lease_until      timestamptz,
    not_before       timestamptz  not null default now(),
    created_at       timestamptz  not null default now(),
    updated_at       timestamptz  not null default now()
);
create index transcode_job_claim on transcode_job (status, not_before, created_at);
create index transcode_job_video on transcode_job (video_id);
create index transcode_job_owner on transcode_job (owner_id, created_at desc);
create index transcode_job_status on transcode_job (status, created_at desc);

-- Videos deleted in the catalog: their jobs are cancelled, later requests for them are ignored,
-- and a job that still finishes for one deletes what it wrote.
create table deleted_video (
    video_id   uuid primary key,
    deleted_at timestamptz not null default now()
);
