-- What every service using the outbox adds in its own migrations (see outbox/README or docs/operations.md)
alter table outbox_message add column traceparent varchar(64);
