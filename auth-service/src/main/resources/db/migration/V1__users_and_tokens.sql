-- Accounts. E-mail is stored normalised (trimmed, lower case) and unique.
create table app_user (
    id                  uuid primary key,
    email               varchar(254) not null unique,
    display_name        varchar(100) not null,
    password_hash       varchar(200) not null,
    is_admin            boolean not null default false,
    activated           boolean not null default false,
    enabled             boolean not null default true,
    created_at          timestamptz not null,
    updated_at          timestamptz not null,
    password_changed_at timestamptz not null,
    version             bigint not null default 0
);
create index app_user_created on app_user (created_at desc, id);

-- Refresh tokens: only the SHA-256 of the opaque token is kept. Each use marks the row used and issues
-- the next token of the same family; presenting a used token revokes the whole family.
create table refresh_token (
    id          uuid primary key,
    token_hash  varchar(64) not null unique,
    user_id     uuid not null references app_user (id) on delete cascade,
    family_id   uuid not null,
    created_at  timestamptz not null,
    expires_at  timestamptz not null,
    used_at     timestamptz,
    revoked_at  timestamptz
);
create index refresh_token_family on refresh_token (family_id);
create index refresh_token_user on refresh_token (user_id);

-- Single-use, expiring tokens sent by e-mail (activation, password reset); SHA-256 only.
create table one_time_token (
    token_hash  varchar(64) primary key,
    user_id     uuid not null references app_user (id) on delete cascade,
    purpose     varchar(20) not null,
    created_at  timestamptz not null,
    expires_at  timestamptz not null,
    used_at     timestamptz
);
create index one_time_token_user on one_time_token (user_id, purpose);

-- Failed-login counters per account and per client address (shared by every replica).
create table login_throttle (
    scope_key     varchar(300) primary key,
    failures      int not null,
    window_start  timestamptz not null,
    blocked_until timestamptz
);
