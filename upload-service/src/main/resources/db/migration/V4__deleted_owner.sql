-- Deleted users: a completion running when user.deleted arrived is aborted at its end instead of publishing
-- a video nobody owns, and a deleted user's token (valid for minutes) cannot open new uploads.
create table deleted_owner (
    id         uuid primary key,
    deleted_at timestamptz not null default now()
);

