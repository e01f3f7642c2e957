-- The trace context of the transaction that published an outbox row: the relay sends it as the
-- Kafka record's traceparent header, so consumers continue the publisher's trace.
alter table outbox_message add column traceparent varchar(64);
