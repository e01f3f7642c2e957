-- Deleted users: a completion running when user.deleted arrived is aborted at its end instead of publishing
-- a video nobody owns, and a deleted user's token (valid for minutes) cannot open new uploads.
create table deleted_owner (
    id         uuid primary key,
    deleted_at timestamptz not null default now()
);

-- Direct uploads admitted before their body is read: counted with the owner's unfinished sessions.
create table direct_admission (
    id         uuid primary key,
    owner_id   uuid not null,
    created_at timestamptz not null
);
create index direct_admission_owner on direct_admission (owner_id, created_at);
