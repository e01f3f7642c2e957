-- Addresses the bootstrap admin (CLIPFLOW_ADMIN_EMAIL) was created for, or found as an admin at the first start
-- after this table existed: the bootstrap acts once per address and never promotes or recreates anyone later.
create table admin_bootstrap (
    email      varchar(254) primary key,
    user_id    uuid not null,
    created_at timestamptz not null default now()
);

-- Throttle keys now also name an account and an address together.
alter table login_throttle alter column scope_key type varchar(400);
