-- One resumable upload (chunked API, tus or direct). Any replica serves any request from these rows.
create table upload_session (
    id               uuid primary key,
    video_id         uuid not null unique,
    owner_id         uuid not null,
    protocol         varchar(10) not null,   -- CHUNKED | TUS | DIRECT
    file_name        varchar(255) not null,
    content_type     varchar(200),
    size_bytes       bigint not null,
    chunk_size       bigint not null,
    total_chunks     int not null,
    sha256           varchar(64),
    title            varchar(200),
    description      varchar(5000),
    category         varchar(100),
    tus_metadata     varchar(8000),
    state            varchar(12) not null,   -- UPLOADING | COMPLETING | COMPLETED | FAILED | ABORTED | EXPIRED
    quota_state      varchar(10) not null,   -- NONE | RESERVED | COMMITTED | RELEASED
    chunks_received  int not null default 0,
    bytes_received   bigint not null default 0,
    failure_code     varchar(100),
    failure_reason   varchar(2000),
    created_at       timestamptz not null,
    updated_at       timestamptz not null,
    expires_at       timestamptz not null,
    completed_at     timestamptz
);
create index upload_session_owner on upload_session (owner_id, state);
create index upload_session_sweep on upload_session (state, expires_at);
create index upload_session_quota on upload_session (quota_state, state);

-- A received (DONE) or being-written (WRITING) chunk; for tus, a PATCH segment at its offset.
create table upload_chunk (
    upload_id   uuid not null references upload_session (id) on delete cascade,
    idx         int not null,
    offset_bytes bigint not null,
    size_bytes  bigint not null,
    sha256      varchar(64),
    state       varchar(8) not null,
    updated_at  timestamptz not null,
    primary key (upload_id, idx)
);

-- The file names of a user's live videos (uploading or uploaded and not deleted): one per name.
create table live_file_name (
    owner_id  uuid not null,
    file_name varchar(255) not null,
    video_id  uuid not null unique,
    primary key (owner_id, file_name)
);
