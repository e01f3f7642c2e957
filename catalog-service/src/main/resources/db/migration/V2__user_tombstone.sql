-- Deleted users: upload and pipeline events for them that arrive after user.deleted (another topic, another
-- order) must not create videos again; what such an event names is deleted and announced instead.
create table user_tombstone (
    id         uuid primary key,
    deleted_at timestamptz not null default now()
);
