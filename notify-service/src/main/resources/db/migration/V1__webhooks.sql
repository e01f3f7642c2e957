-- Webhook endpoints registered by users: where to POST which event types, signed with a secret
-- (Standard Webhooks). During a rotation the previous secret signs too until previous_secret_expires_at.
create table webhook_endpoint (
    id                         uuid primary key,
    owner_id                   uuid not null,
    url                        varchar(2048) not null,
    event_types                varchar(1000) not null,
    description                varchar(500),
    enabled                    boolean not null default true,
    secret                     varchar(200) not null,
    previous_secret            varchar(200),
    previous_secret_expires_at timestamptz,
    failing_since              timestamptz,
    disabled_reason            varchar(2000),
    created_at                 timestamptz not null,
    updated_at                 timestamptz not null,
    version                    bigint not null default 0
);
create index webhook_endpoint_owner on webhook_endpoint (owner_id, created_at);

-- One message per endpoint and event (the webhook-id, the same on every attempt). Created by the event
-- consumers, sent by the dispatcher; the unique key makes a replayed event create nothing new.
create table webhook_delivery (
    id              uuid primary key,
    endpoint_id     uuid not null references webhook_endpoint (id) on delete cascade,
    message_id      varchar(100) not null,
    event_type      varchar(100) not null,
    payload         text not null,
    status          varchar(20) not null,
    attempts        int not null default 0,
    next_attempt_at timestamptz not null,
    created_at      timestamptz not null,
    completed_at    timestamptz,
    unique (endpoint_id, message_id)
);
create index webhook_delivery_due on webhook_delivery (next_attempt_at) where status = 'PENDING';
create index webhook_delivery_endpoint on webhook_delivery (endpoint_id, created_at desc);

-- Every attempt of a delivery: the delivery log users read.
create table webhook_attempt (
    id               bigserial primary key,
    delivery_id      uuid not null references webhook_delivery (id) on delete cascade,
    attempt          int not null,
    attempted_at     timestamptz not null,
    status_code      int,
    latency_ms       bigint not null,
    response_excerpt varchar(2000),
    error            varchar(2000)
);
create index webhook_attempt_delivery on webhook_attempt (delivery_id, attempt);
