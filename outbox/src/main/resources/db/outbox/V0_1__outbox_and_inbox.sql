-- Transactional outbox: rows written in the transaction of the change they describe,
-- relayed to Kafka after commit by OutboxRelay and deleted once the broker acknowledged them.
create table outbox_message (
    id              uuid primary key,
    seq             bigserial not null,
    topic           varchar(200) not null,
    message_key     varchar(200),
    payload         text not null,
    created_at      timestamptz not null default now(),
    attempts        int not null default 0,
    next_attempt_at timestamptz not null default now(),
    last_error      varchar(2000)
);
create index outbox_message_due on outbox_message (next_attempt_at, seq);

-- Inbox: the CloudEvent ids a consumer already applied, so redelivery changes nothing.
create table inbox_event (
    event_id     varchar(200) primary key,
    topic        varchar(200) not null,
    processed_at timestamptz not null default now()
);
